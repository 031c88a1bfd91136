namespace Accept.Training.Checkpointing.Store;

/// <summary>
/// Durable, atomic checkpoints per scope. A save writes a new content-addressed object, then switches the
/// scope's pointer to it; a load verifies the object's SHA-256 against the pointer and never returns a
/// corrupt or half-written checkpoint.
/// </summary>
public interface ICheckpointStore
{
    /// <summary>Writes and commits a checkpoint; the returned info is what the pointer now names first.</summary>
    Task<CheckpointInfo> SaveAsync(CheckpointScope scope, CheckpointContent content, CancellationToken cancellationToken = default);

    /// <summary>
    /// The newest committed checkpoint that verifies, or null when the scope has none. Newer ones that fail
    /// verification are skipped and named in <see cref="LoadedCheckpoint.Skipped"/>; when all fail, throws
    /// <see cref="CheckpointCorruptException"/>.
    /// </summary>
    Task<LoadedCheckpoint?> LoadLatestAsync(CheckpointScope scope, CancellationToken cancellationToken = default);

    /// <summary>
    /// As <see cref="LoadLatestAsync(CheckpointScope, CancellationToken)"/>, but a checkpoint whose content
    /// <paramref name="check"/> rejects (it returns the reason) is skipped like one that fails its hash.
    /// </summary>
    Task<LoadedCheckpoint?> LoadLatestAsync(CheckpointScope scope, Func<CheckpointContent, string?>? check, CancellationToken cancellationToken = default);

    /// <summary>Every committed checkpoint that verifies (and passes <paramref name="check"/>), newest first; throws as LoadLatestAsync when none does.</summary>
    Task<IReadOnlyList<LoadedCheckpoint>> LoadVerifiedAsync(CheckpointScope scope, Func<CheckpointContent, string?>? check = null, CancellationToken cancellationToken = default);

    /// <summary>Where the checkpoints are, without credentials: what a run directory records to find them again.</summary>
    CheckpointStoreLocation Location { get; }

    /// <summary>The committed checkpoints, newest first.</summary>
    Task<IReadOnlyList<CheckpointInfo>> ListAsync(CheckpointScope scope, CancellationToken cancellationToken = default);
}
