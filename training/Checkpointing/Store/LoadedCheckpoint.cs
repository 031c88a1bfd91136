namespace Accept.Training.Checkpointing.Store;

/// <summary>A verified checkpoint, and the newer ones that were skipped because they failed verification.</summary>
public sealed record LoadedCheckpoint(CheckpointInfo Info, CheckpointContent Content, IReadOnlyList<string> Skipped);
