namespace Accept.Client.Commands;

/// <summary>Reports on the caller's thread at once (System.Progress posts to the thread pool, which reorders console lines).</summary>
internal sealed class SyncProgress(Action<string> report) : IProgress<string>
{
    public void Report(string value) => report(value);
}
