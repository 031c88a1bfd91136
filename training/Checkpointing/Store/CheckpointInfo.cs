namespace Accept.Training.Checkpointing.Store;

/// <summary>A committed checkpoint as the scope's pointer records it.</summary>
/// <param name="Sequence">1, 2, 3… per scope; the pointer names the highest committed one first.</param>
/// <param name="ObjectName">The content-addressed object: "{sequence:D12}-{sha256}.ckpt".</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the whole object, checked on every load.</param>
public sealed record CheckpointInfo(long Sequence, string ObjectName, string Sha256, long Length, DateTimeOffset CreatedUtc);
