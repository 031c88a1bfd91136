using System.Text.Json.Serialization;

namespace Accept.Training.Runs;

/// <summary>One line of a run's <c>metrics.jsonl</c>: a training step's loss or an evaluation's metric.</summary>
public sealed record MetricRecord(
    [property: JsonPropertyName("step")] long Step,
    [property: JsonPropertyName("task")] string Task,
    [property: JsonPropertyName("loss")] double? Loss = null,
    [property: JsonPropertyName("lr")] double? LearningRate = null,
    [property: JsonPropertyName("metric")] double? Metric = null,
    [property: JsonPropertyName("metric_name")] string? MetricName = null,
    [property: JsonPropertyName("codebook_version")] long? CodebookVersion = null);
