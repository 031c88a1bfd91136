namespace Accept.GrainInterfaces.Jobs;

/// <summary>Where the cluster's checkpoint store keeps a job's checkpoints, so a run directory can name it: never a credential.</summary>
/// <param name="Kind">"Directory" or "Blob".</param>
/// <param name="Root">Directory kind: the absolute root on the silos' file system.</param>
/// <param name="Container">Blob kind: the container.</param>
[GenerateSerializer, Immutable]
[Alias("accept.CheckpointStoreInfo")]
public sealed record CheckpointStoreInfo(
    [property: Id(0)] string Kind,
    [property: Id(1)] string? Root,
    [property: Id(2)] string? Container);
