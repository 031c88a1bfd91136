using Accept.GrainInterfaces.Codebooks;
using Accept.GrainInterfaces.Tasks;

namespace Accept.GrainInterfaces.Jobs;

[GenerateSerializer, Immutable]
[Alias("accept.JobStatus")]
public sealed record JobStatus(
    [property: Id(0)] string JobId,
    [property: Id(1)] JobState State,
    [property: Id(2)] IReadOnlyList<TrainingTaskStatus> Tasks,
    [property: Id(3)] IReadOnlyList<CodebookStatus> CodebookGroups,
    [property: Id(4)] DateTimeOffset? StartedUtc,
    [property: Id(5)] DateTimeOffset? FinishedUtc,
    [property: Id(6)] string? Error);
