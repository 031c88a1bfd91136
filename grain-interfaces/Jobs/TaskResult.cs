using Accept.GrainInterfaces.Tasks;

namespace Accept.GrainInterfaces.Jobs;

/// <summary>A task's line in the job's summary.json (under <c>tasks.&lt;name&gt;</c>).</summary>
/// <param name="FinalLoss">Mean training loss of the last (up to) 10 steps.</param>
/// <param name="InitialLoss">Mean training loss of the first (up to) 10 steps.</param>
/// <param name="SkippedSteps">Steps skipped by the NaN/inf guard.</param>
/// <param name="MajorityBaseline">The metric of always answering the most common training target.</param>
[GenerateSerializer, Immutable]
[Alias("accept.TaskResult")]
public sealed record TaskResult(
    [property: Id(0)] string TaskName,
    [property: Id(1)] long Steps,
    [property: Id(2)] double? FinalLoss,
    [property: Id(3)] double? BestMetric,
    [property: Id(4)] string? MetricName,
    [property: Id(5)] double? MajorityBaseline,
    [property: Id(6)] long Tokens,
    [property: Id(7)] TaskState State,
    [property: Id(8)] long? BestStep,
    [property: Id(9)] double? InitialLoss,
    [property: Id(10)] string? Error,
    [property: Id(11)] long SkippedSteps = 0);
