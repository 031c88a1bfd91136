namespace Accept.GrainInterfaces.Codebooks;

/// <summary>What a codebook grain needs to create (or restore) its group.</summary>
/// <param name="JobId">The owning job.</param>
/// <param name="Group">The group's name in the run spec.</param>
/// <param name="RunSpecJson">The whole run spec; the grain reads the method, optimisation, aggregation (mode, max staleness) and checkpoint interval from it.</param>
/// <param name="RoundTimeout">Sync mode: after this long a round closes without members that have not pushed (they are dropped until they rejoin).</param>
[GenerateSerializer, Immutable]
[Alias("accept.CodebookGroupSpec")]
public sealed record CodebookGroupSpec(
    [property: Id(0)] string JobId,
    [property: Id(1)] string Group,
    [property: Id(2)] string RunSpecJson,
    [property: Id(5)] TimeSpan RoundTimeout,
    [property: Id(6)] TimeSpan? RoundDeadline = null);
