namespace Accept.GrainInterfaces.Tasks;

/// <summary>One line of a task's metrics.jsonl: the loss at a step, and the metric where it evaluated.</summary>
/// <param name="CodebookVersion">The codebook version the step trained against.</param>
[GenerateSerializer, Immutable]
[Alias("accept.TaskMetricPoint")]
public sealed record TaskMetricPoint(
    [property: Id(0)] long Step,
    [property: Id(1)] double Loss,
    [property: Id(2)] double LearningRate,
    [property: Id(3)] double? Metric,
    [property: Id(4)] long? CodebookVersion = null);
