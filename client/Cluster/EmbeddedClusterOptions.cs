namespace Accept.Client.Cluster;

/// <summary>How the client's in-process cluster is laid out.</summary>
/// <param name="CheckpointRoot">Where task and codebook checkpoints go (a run's <c>checkpoints/</c> folder).</param>
/// <param name="Silos">Silos in the process; every one is a worker, so tasks spread over all of them.</param>
/// <param name="TorchThreads">libtorch intra-op threads (process-wide); 0 shares the cores among the silos.</param>
/// <param name="ConcurrentStepsPerSilo">Training steps each silo's step worker runs at once.</param>
public sealed record EmbeddedClusterOptions(string CheckpointRoot, int Silos = 2, int TorchThreads = 0, int ConcurrentStepsPerSilo = 1)
{
    /// <summary>The libtorch thread count the silos get: the cores shared among the steps that run at once.</summary>
    public int EffectiveTorchThreads => TorchThreads > 0 ? TorchThreads : Math.Max(1, Environment.ProcessorCount / (Silos * ConcurrentStepsPerSilo));
}
