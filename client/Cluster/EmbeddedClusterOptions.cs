namespace Accept.Client.Cluster;

/// <summary>How the client's in-process cluster is laid out.</summary>
/// <param name="CheckpointRoot">Where task and codebook checkpoints go (a run's <c>checkpoints/</c> folder).</param>
/// <param name="Silos">Silos in the process; every one is a worker, so tasks spread over all of them.</param>
/// <param name="TorchThreads">
/// libtorch intra-op threads (process-wide); 0 keeps libtorch's default, one per core. Measured on 2 cores with
/// the demo spec: two silos with libtorch's default trained faster than with one thread each, and faster than
/// one silo, since a sync round waits for the slowest silo and the other's cores would idle.
/// </param>
/// <param name="ConcurrentStepsPerSilo">Training steps each silo's step worker runs at once.</param>
public sealed record EmbeddedClusterOptions(string CheckpointRoot, int Silos = 2, int TorchThreads = 0, int ConcurrentStepsPerSilo = 1);
