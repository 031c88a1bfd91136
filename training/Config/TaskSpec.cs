using Accept.Training.Metrics;

namespace Accept.Training.Config;

/// <summary>
/// One task of a run. <see cref="Dataset"/> names the paper or demo task (defaults to <see cref="Name"/>);
/// generic tasks give <see cref="Path"/>, <see cref="Format"/> (jsonl|csv), the two field names and a metric.
/// <see cref="MaxLength"/> truncates inputs (null: method.max_length, to which inputs are always padded).
/// </summary>
public sealed record TaskSpec(
    string Name,
    TaskSource Source,
    string Dataset,
    string? Path,
    string? Format,
    string? InputField,
    string? TargetField,
    MetricKind? Metric,
    int? MaxTrainExamples,
    int? MaxLength,
    int MaxTargetLength,
    string CodebookGroup)
{
    /// <summary>Input truncation length: the task's own, never above the method's l.</summary>
    public int InputLength(MethodSpec method) => Math.Min(MaxLength ?? method.MaxLength, method.MaxLength);
}
