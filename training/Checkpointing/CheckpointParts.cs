namespace Accept.Training.Checkpointing;

/// <summary>
/// The names inside a checkpoint object (<see cref="Store.CheckpointContent"/>), the same whichever mode
/// wrote it. Task scope: part <see cref="Task"/> (a <see cref="TaskCheckpoint"/>), optionally
/// <see cref="Metrics"/> (a task grain's metric history); metadata <see cref="Step"/>,
/// <see cref="CodebookVersion"/> (the group's version the task's next step uses), <see cref="State"/>.
/// Codebook scope: part <see cref="Codebook"/> (a <see cref="CodebookCheckpoint"/>), optionally the codebook
/// grain's own state; metadata <see cref="Version"/>. Best scope: parts <see cref="Task"/> and <see cref="Codebook"/>.
/// </summary>
public static class CheckpointParts
{
    public const string Task = "task";
    public const string Codebook = "codebook";
    public const string Metrics = "metrics";

    public const string Step = "step";
    public const string CodebookVersion = "codebook_version";
    public const string State = "state";
    public const string Version = "version";
    public const string ElapsedSeconds = "elapsed_s";

    /// <summary>Values of <see cref="State"/> (the task grain's TaskState names).</summary>
    public const string Running = "Running";
    public const string Completed = "Completed";
}
