namespace Accept.Training.Checkpointing.Store;

/// <summary>Whose checkpoints: a job and an owner inside it (a task or a codebook group). Both are validated identifiers.</summary>
public sealed record CheckpointScope
{
    public CheckpointScope(string jobId, string owner)
    {
        JobId = CheckpointIdentifier.Validate(jobId, "job id");
        Owner = CheckpointIdentifier.Validate(owner, "owner");
    }

    public string JobId { get; }

    public string Owner { get; }

    /// <summary>"job/owner": the relative location of the scope in every store.</summary>
    public string Path => $"{JobId}/{Owner}";

    public override string ToString() => Path;
}
