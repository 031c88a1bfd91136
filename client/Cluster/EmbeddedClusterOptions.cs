namespace Accept.Client.Cluster;

/// <summary>How the client's in-process cluster is laid out.</summary>
/// <param name="CheckpointRoot">Where task and codebook checkpoints go (a run's <c>checkpoints/</c> folder).</param>
/// <param name="Silos">Silos in the process; every one is a worker, so tasks spread over all of them.</param>
/// <param name="TorchThreads">
/// libtorch intra-op threads (process-wide); 0 shares the cores among every concurrent step of every silo
/// (<see cref="ResolvedTorchThreads"/>). The members of a sync group step in lockstep, so with fewer step
/// threads than tasks a silo holding two tasks runs them one after the other while the other silo's cores
/// idle until the round closes. Measured on 2 cores with the demo spec (3 tasks, 2 silos, `accept train`):
/// 1 concurrent step per silo with libtorch's default threads 29.8 task steps/s; 2 concurrent steps per silo
/// with 1 thread 37.2 and 40.5; 2 concurrent steps with libtorch's default 31.9.
/// </param>
/// <param name="SlotsPerSilo">Each silo's Accept:Silo:Slots: training steps its step worker runs at once. Default 1:
/// with 2, one full-suite run in about ten saw a step fail inside libtorch with a corrupted scalar (under investigation).</param>
/// <param name="AggregationWindowMs">Each silo's Accept:Silo:AggregationWindowMs (hierarchical aggregation); null: the silo's default.</param>
public sealed record EmbeddedClusterOptions(string CheckpointRoot, int Silos = 2, int TorchThreads = 0, int SlotsPerSilo = 1, double? AggregationWindowMs = null)
{
    /// <summary>The libtorch threads the silos get: <see cref="TorchThreads"/>, or the cores divided among all concurrent steps.</summary>
    public int ResolvedTorchThreads =>
        TorchThreads > 0 ? TorchThreads : Math.Max(1, Environment.ProcessorCount / Math.Max(1, Silos * SlotsPerSilo));
}
