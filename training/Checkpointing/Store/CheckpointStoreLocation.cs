namespace Accept.Training.Checkpointing.Store;

/// <summary>Where a store keeps its checkpoints: a directory root, or a Blob container (its connection string never appears here).</summary>
public sealed record CheckpointStoreLocation(CheckpointStoreKind Kind, string? Root, string? Container);
