using System.Text.Json.Serialization;

namespace Accept.Training.Runs;

/// <summary>A run's <c>summary.json</c>: per task results beside the majority-class baseline.</summary>
public sealed record RunSummary(
    [property: JsonPropertyName("run")] string Run,
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("wall_time_s")] double WallTimeSeconds,
    [property: JsonPropertyName("tokens_per_s")] double TokensPerSecond,
    [property: JsonPropertyName("tasks")] IReadOnlyDictionary<string, TaskSummary> Tasks);

public sealed record TaskSummary(
    [property: JsonPropertyName("metric_name")] string MetricName,
    [property: JsonPropertyName("final_loss")] double? FinalLoss,
    [property: JsonPropertyName("best_metric")] double? BestMetric,
    [property: JsonPropertyName("best_step")] long? BestStep,
    [property: JsonPropertyName("majority_baseline")] double? MajorityBaseline,
    [property: JsonPropertyName("steps")] long Steps,
    [property: JsonPropertyName("skipped_steps")] long SkippedSteps)
{
    /// <summary>Mean training loss of the first steps, beside <see cref="FinalLoss"/> (the last steps').</summary>
    [JsonPropertyName("initial_loss")]
    public double? InitialLoss { get; init; }

    /// <summary>Every metric of the task on the test split with its best checkpoint, and <c>examples</c>
    /// (as eval.json's entries); absent when the run stopped early or the task has no test examples.</summary>
    [JsonPropertyName("test")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, double>? Test { get; init; }
}
