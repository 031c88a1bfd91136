using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Accept.Client.Benchmarks.Chaos;

/// <summary>
/// A child process of the harness: every output line kept with the time it arrived (the figures are derived
/// from them), POSIX signals for the faults, and always killed on dispose.
/// </summary>
public sealed class ChaosProcess : IAsyncDisposable
{
    private const int SigKill = 9;
    private const int SigTerm = 15;
    private const int SigCont = 18;
    private const int SigStop = 19;

    private readonly Process _process;
    private readonly ConcurrentQueue<LogLine> _lines = new();

    private ChaosProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    /// <summary>What the harness calls it in its figures and messages: "coordinator", "worker-1", "redis", "client"…</summary>
    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public IReadOnlyCollection<LogLine> Lines => _lines;

    public static ChaosProcess Start(string name, string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        var process = new Process { StartInfo = info };
        var wrapper = new ChaosProcess(name, process);
        process.OutputDataReceived += (_, e) => wrapper.Record(e.Data);
        process.ErrorDataReceived += (_, e) => wrapper.Record(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return wrapper;
    }

    public void Kill() => Signal(SigKill);

    public void Terminate() => Signal(SigTerm);

    public void Stop() => Signal(SigStop);

    public void Continue() => Signal(SigCont);

    /// <summary>Waits for the process to end; false when <paramref name="timeout"/> passed first.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout, CancellationToken cancel)
    {
        try
        {
            await _process.WaitForExitAsync(cancel).WaitAsync(timeout, cancel);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>The last lines, for error messages.</summary>
    public string Tail(int count = 30) => string.Join(Environment.NewLine, _lines.TakeLast(count).Select(l => l.Text));

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                // A stopped process ignores everything but SIGKILL and SIGCONT; make sure it can die.
                Continue();
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            // Already gone, or gone without telling.
        }
        _process.Dispose();
    }

    private void Signal(int signal)
    {
        if (!_process.HasExited && Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed for {Name}: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    private void Record(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(new LogLine(DateTime.UtcNow, Name, line));
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}

/// <summary>One line a child process printed, with when the harness received it.</summary>
public sealed record LogLine(DateTime Time, string Process, string Text);
