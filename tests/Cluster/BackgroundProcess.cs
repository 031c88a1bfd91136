using Accept.Client.Benchmarks.Chaos;

namespace Accept.Tests.Cluster;

/// <summary>
/// A child process whose output is kept for failure messages and which is always killed on dispose: the chaos
/// harness's <see cref="ChaosProcess"/> (the one implementation of a watched child process), with the waits tests use.
/// </summary>
internal sealed class BackgroundProcess : IAsyncDisposable
{
    private readonly ChaosProcess _process;

    private BackgroundProcess(ChaosProcess process) => _process = process;

    public static BackgroundProcess Start(string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, string? workingDirectory = null) =>
        new(ChaosProcess.Start(Path.GetFileName(fileName), fileName, arguments, new Dictionary<string, string>(environment ?? new Dictionary<string, string>()),
            workingDirectory ?? Environment.CurrentDirectory));

    public bool HasExited => _process.HasExited;

    public int Id => _process.Id;

    /// <summary>Waits for the process to exit on its own; its exit code, or null when it still ran after <paramref name="timeout"/>.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout) =>
        await _process.WaitForExitAsync(timeout, CancellationToken.None) ? _process.ExitCode : null;

    /// <summary>Waits until the process has printed a line containing <paramref name="text"/>; false when it exits or <paramref name="timeout"/> passes first.</summary>
    public async Task<bool> WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.Lines.Any(line => line.Text.Contains(text, StringComparison.Ordinal)))
            {
                return true;
            }
            if (_process.HasExited)
            {
                return false;
            }
            await Task.Delay(100);
        }
        return false;
    }

    /// <summary>Everything the process printed.</summary>
    public string AllOutput => string.Join(Environment.NewLine, _process.Lines.Select(l => l.Text));

    /// <summary>The last lines the process printed, for assertion messages.</summary>
    public string Tail(int lines = 40) => _process.Tail(lines);

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
