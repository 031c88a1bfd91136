using System.Diagnostics;
using System.Reflection;

namespace Accept.Client.Benchmarks;

/// <summary>This same `accept` (apphost, or `dotnet accept.dll`) as a child process: what the benchmarks measure in fresh processes.</summary>
internal static class AcceptSelf
{
    /// <summary>The executable and arguments that start this `accept` with <paramref name="arguments"/>.</summary>
    public static (string FileName, IReadOnlyList<string> Arguments) Command(IEnumerable<string> arguments)
    {
        var executable = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find this process's executable to start a child");
        IReadOnlyList<string> all = Path.GetFileNameWithoutExtension(executable) == "dotnet"
            ? [Assembly.GetEntryAssembly()!.Location, .. arguments]
            : [.. arguments];
        return (executable, all);
    }

    /// <summary>A start info with stdout redirected (stderr passes through), for <see cref="Process.Start(ProcessStartInfo)"/>.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var (file, all) = Command(arguments);
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in all) info.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        return info;
    }

    /// <summary>Runs the child to its end: exit code, its stdout, and its wall time from launch to exit.</summary>
    public static async Task<(int Code, string Output, TimeSpan Wall)> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(StartInfo(arguments, environment))!;
        try
        {
            var output = await process.StandardOutput.ReadToEndAsync(cancel);
            await process.WaitForExitAsync(cancel);
            return (process.ExitCode, output, clock.Elapsed);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }
}
