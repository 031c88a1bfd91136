namespace Accept.Training.Checkpointing.Store;

/// <summary>A scope has committed checkpoints but none of them verifies, or its pointer is unreadable.</summary>
public sealed class CheckpointCorruptException(string message) : Exception(message);
