namespace Accept.GrainInterfaces.Tasks;

/// <summary>
/// A task's progress, answered while it trains. Named TrainingTaskStatus, not TaskStatus, so it never
/// clashes with System.Threading.Tasks.TaskStatus in grain code.
/// </summary>
/// <param name="Metric">Latest evaluation value of <see cref="MetricName"/>; null before the first evaluation.</param>
/// <param name="Silo">The silo running the task, for operators.</param>
/// <param name="Error">Why the task failed; null otherwise.</param>
/// <param name="CheckpointBehind">Why its last checkpoint did not reach the store (an outage; it trains on and saves again at the next one); null otherwise.</param>
[GenerateSerializer, Immutable]
[Alias("accept.TrainingTaskStatus")]
public sealed record TrainingTaskStatus(
    [property: Id(0)] string TaskName,
    [property: Id(1)] TaskState State,
    [property: Id(2)] long Step,
    [property: Id(3)] long TotalSteps,
    [property: Id(4)] double? Loss,
    [property: Id(5)] double? Metric,
    [property: Id(6)] string? MetricName,
    [property: Id(7)] double StepsPerSecond,
    [property: Id(8)] long CodebookVersion,
    [property: Id(9)] string? Silo,
    [property: Id(10)] string? Error,
    [property: Id(11)] string? CheckpointBehind = null);
