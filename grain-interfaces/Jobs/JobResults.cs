namespace Accept.GrainInterfaces.Jobs;

/// <summary>What a finished (or cancelled) job reports; the client writes summary.json from it.</summary>
[GenerateSerializer, Immutable]
[Alias("accept.JobResults")]
public sealed record JobResults(
    [property: Id(0)] string JobId,
    [property: Id(1)] JobState State,
    [property: Id(2)] IReadOnlyList<TaskResult> Tasks,
    [property: Id(3)] double WallSeconds,
    [property: Id(4)] double TokensPerSecond);
