using Accept.Training.Metrics;

namespace Accept.Training.Config;

/// <summary>
/// One task of a run. <see cref="Dataset"/> names the paper or demo task (defaults to <see cref="Name"/>);
/// <see cref="Path"/> is the paper tasks' data directory or the demo's npm cache directory. Generic tasks
/// give <see cref="File"/> (split by fractions) or <see cref="TrainFile"/> with optional validation/test files,
/// the two field names, a metric and optional class <see cref="Labels"/>.
/// <see cref="MaxLength"/> truncates inputs (null: method.max_length, to which inputs are always padded).
/// </summary>
public sealed record TaskSpec(
    string Name,
    TaskSource Source,
    string Dataset,
    string? Path,
    string? File,
    string? TrainFile,
    string? ValidationFile,
    string? TestFile,
    string? InputField,
    string? TargetField,
    MetricKind? Metric,
    IReadOnlyList<string>? Labels,
    int? MaxTrainExamples,
    int? MaxLength,
    int MaxTargetLength,
    string CodebookGroup)
{
    /// <summary>Input truncation length: the task's own, never above the method's l.</summary>
    public int InputLength(MethodSpec method) => Math.Min(MaxLength ?? method.MaxLength, method.MaxLength);
}
