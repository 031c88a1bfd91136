namespace Accept.Training.Checkpointing.Store;

public enum CheckpointStoreKind
{
    /// <summary>A local directory: the embedded default.</summary>
    Directory = 0,

    /// <summary>An Azure Blob Storage container (or Azurite).</summary>
    Blob = 1,
}
