namespace Accept.Training.Checkpointing.Store;

/// <summary>What a checkpoint holds: named binary parts (safetensors, optimizer state, RNG) and small string metadata (step, version).</summary>
public sealed record CheckpointContent(
    IReadOnlyDictionary<string, byte[]> Parts,
    IReadOnlyDictionary<string, string> Metadata);
