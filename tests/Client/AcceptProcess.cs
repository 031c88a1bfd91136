using System.Diagnostics;

namespace Accept.Tests.Client;

/// <summary>The built `accept` as a separate process (console output is not shared with other tests), as a user runs it.</summary>
internal sealed class AcceptProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    private AcceptProcess(Process process)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public static AcceptProcess Start(IDictionary<string, string>? environment, params string[] arguments) =>
        new(Process.Start(Info(environment, null, arguments))!);

    /// <summary>Runs to completion in <paramref name="workingDirectory"/> (null: this process's): exit code, stdout, stderr.</summary>
    public static (int Code, string Out, string Err) Run(string? workingDirectory, params string[] arguments)
    {
        using var process = new AcceptProcess(Process.Start(Info(null, workingDirectory, arguments))!);
        process._process.WaitForExit();
        return (process._process.ExitCode, process._stdout.Result, process._stderr.Result);
    }

    private static ProcessStartInfo Info(IDictionary<string, string>? environment, string? workingDirectory, string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "accept.dll"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        // Narrow, non-interactive output: the plain per-task lines instead of a live table.
        info.Environment["COLUMNS"] = "200";
        info.Environment["TERM"] = "dumb";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        return info;
    }

    public int Id => _process.Id;

    /// <summary>Exit code, stdout and stderr; kills the process and fails when it runs past <paramref name="timeout"/>.</summary>
    public async Task<(int Code, string Out, string Err)> WaitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"accept did not finish within {timeout}:\n{await _stdout}\n{await _stderr}");
        }
        return (_process.ExitCode, await _stdout, await _stderr);
    }

    public static Task<(int Code, string Out, string Err)> RunAsync(TimeSpan timeout, params string[] arguments) =>
        RunAsync(null, timeout, arguments);

    public static async Task<(int Code, string Out, string Err)> RunAsync(IDictionary<string, string>? environment, TimeSpan timeout, params string[] arguments)
    {
        using var process = Start(environment, arguments);
        return await process.WaitAsync(timeout);
    }

    /// <summary>The last non-empty line of <paramref name="output"/>: where `accept train` prints the run directory.</summary>
    public static string LastLine(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }
}
