namespace Accept.Training.Checkpointing;

/// <summary>A consistent state to continue a run from (<see cref="RunCheckpointReader.LoadResumePoint"/>). Owns its tensors.</summary>
/// <param name="Notes">Fallbacks taken (corrupt newest checkpoints skipped), one line each.</param>
public sealed record ResumePoint(IReadOnlyDictionary<string, TaskCheckpoint> Tasks, IReadOnlyDictionary<string, CodebookCheckpoint> Groups,
    double ElapsedSeconds, IReadOnlyList<string> Notes) : IDisposable
{
    /// <summary>The step every task has reached (the lowest task step).</summary>
    public long Step => Tasks.Values.Min(t => t.State.Step);

    public void Dispose()
    {
        foreach (var t in Tasks.Values) t.Dispose();
        foreach (var g in Groups.Values) g.Dispose();
    }
}
