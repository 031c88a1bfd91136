namespace Accept.GrainInterfaces.Jobs;

/// <summary>A task's line in the job's summary.json (under <c>tasks.&lt;name&gt;</c>).</summary>
[GenerateSerializer, Immutable]
[Alias("accept.TaskResult")]
public sealed record TaskResult(
    [property: Id(0)] string TaskName,
    [property: Id(1)] long Steps,
    [property: Id(2)] double? FinalLoss,
    [property: Id(3)] double? BestMetric,
    [property: Id(4)] string? MetricName,
    [property: Id(5)] double? MajorityBaseline);
