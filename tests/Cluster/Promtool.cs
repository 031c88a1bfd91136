using System.Diagnostics;

namespace Accept.Tests.Cluster;

/// <summary>Runs `promtool check metrics` on an exposition when promtool is installed.</summary>
internal static class Promtool
{
    public static bool Available => TestEnvironment.FindOnPath("promtool") is not null;

    /// <summary>Exit code and combined output; promtool exits 1 on format errors and 3 on lint problems.</summary>
    public static async Task<(int ExitCode, string Output)> CheckMetricsAsync(string exposition)
    {
        var info = new ProcessStartInfo(TestEnvironment.FindOnPath("promtool")!, ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, (await stdout) + (await stderr));
    }

    /// <summary>The HELP, TYPE and sample lines of the families whose names start with <paramref name="prefix"/>.</summary>
    public static string Families(string exposition, string prefix) =>
        string.Join('\n', exposition.Split('\n').Where(line =>
            line.StartsWith(prefix, StringComparison.Ordinal)
            || line.StartsWith($"# HELP {prefix}", StringComparison.Ordinal)
            || line.StartsWith($"# TYPE {prefix}", StringComparison.Ordinal)
            || line.StartsWith($"# UNIT {prefix}", StringComparison.Ordinal))) + "\n";

    /// <summary>
    /// The project's families must lint clean; the whole scrape must at least parse. Orleans' own meters
    /// have no help texts and use milliseconds, which promtool lints but which are not this project's names.
    /// </summary>
    public static async Task AssertAcceptableAsync(string exposition)
    {
        if (!Available)
        {
            return;
        }
        var (projectCode, projectOutput) = await CheckMetricsAsync(Families(exposition, "accept_"));
        Assert.True(projectCode == 0, $"promtool rejected the project's metrics ({projectCode}):\n{projectOutput}");
        var (code, output) = await CheckMetricsAsync(exposition);
        Assert.True(code != 1, $"promtool could not parse the scrape:\n{output}");
        Assert.DoesNotContain(output.Split('\n'), line => line.StartsWith("accept_", StringComparison.Ordinal));
    }
}
