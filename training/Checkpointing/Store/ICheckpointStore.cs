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

    /// <summary>The committed checkpoints, newest first.</summary>
    Task<IReadOnlyList<CheckpointInfo>> ListAsync(CheckpointScope scope, CancellationToken cancellationToken = default);
}
