namespace Accept.GrainInterfaces.Diagnostics;

/// <summary>Where a probe grain is activated and what that silo declared.</summary>
[GenerateSerializer, Immutable]
[Alias("accept.SiloProbe")]
public sealed record SiloProbe(
    [property: Id(0)] string SiloAddress,
    [property: Id(1)] string SiloName,
    [property: Id(2)] string Role,
    [property: Id(3)] string Device);
