namespace Accept.Training.Checkpointing.Store;

/// <summary>
/// Settings section "Accept:Checkpoints". The Blob connection string comes only from this section or the
/// environment variable <see cref="ConnectionStringVariable"/>, never from a run spec, and is never logged.
/// </summary>
public sealed class CheckpointStoreOptions
{
    public const string Section = "Accept:Checkpoints";
    public const string ConnectionStringVariable = "ACCEPT_BLOB_CONNECTION_STRING";

    public CheckpointStoreKind Kind { get; set; } = CheckpointStoreKind.Directory;

    /// <summary>Directory kind: the root every checkpoint path stays under (relative paths resolve against the working directory).</summary>
    public string Root { get; set; } = "checkpoints";

    /// <summary>Blob kind: the container (3-63 characters of a-z, 0-9, '-').</summary>
    public string Container { get; set; } = "accept-checkpoints";

    /// <summary>Blob kind: falls back to the environment variable <see cref="ConnectionStringVariable"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>How many committed checkpoints each scope keeps to fall back to.</summary>
    public int Keep { get; set; } = 3;

    public override string ToString() => $"Kind={Kind}, Root={Root}, Container={Container}, Keep={Keep}";
}
