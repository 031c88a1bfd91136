using System.Text.Json.Serialization;
using Orleans;

namespace Accept.Training.Runs;

/// <summary>A run's <c>summary.json</c>: per task results beside the majority-class baseline.</summary>
public sealed record RunSummary(
    [property: JsonPropertyName("run")] string Run,
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("wall_time_s")] double WallTimeSeconds,
    [property: JsonPropertyName("tokens_per_s")] double TokensPerSecond,
    [property: JsonPropertyName("tasks")] IReadOnlyDictionary<string, TaskSummary> Tasks);

/// <summary>
/// A task's line of summary.json (<see cref="Accept.Training.MultiTask.TaskSession.Summarise"/>, the one choice of
/// figures). The one type for it: the in-process trainer writes it, and a task grain reports it inside its result
/// (<c>Accept.GrainInterfaces.Jobs.TaskResult</c>), so it also crosses the wire.
/// </summary>
/// <param name="FinalLoss">Mean training loss of the last (up to) 10 steps.</param>
/// <param name="SkippedSteps">Steps skipped by the NaN/inf guard.</param>
/// <param name="MajorityBaseline">The metric of always answering the most common training target.</param>
[GenerateSerializer, Immutable]
[Alias("accept.TaskSummary")]
public sealed record TaskSummary(
    [property: JsonPropertyName("metric_name"), Id(0)] string MetricName,
    [property: JsonPropertyName("final_loss"), Id(1)] double? FinalLoss,
    [property: JsonPropertyName("best_metric"), Id(2)] double? BestMetric,
    [property: JsonPropertyName("best_step"), Id(3)] long? BestStep,
    [property: JsonPropertyName("majority_baseline"), Id(4)] double? MajorityBaseline,
    [property: JsonPropertyName("steps"), Id(5)] long Steps,
    [property: JsonPropertyName("skipped_steps"), Id(6)] long SkippedSteps)
{
    /// <summary>Mean training loss of the first (up to) 10 steps, beside <see cref="FinalLoss"/> (the last steps').</summary>
    [JsonPropertyName("initial_loss")]
    [Id(7)]
    public double? InitialLoss { get; init; }

    /// <summary>Every metric of the task on the test split with its best checkpoint, and <c>examples</c>
    /// (as eval.json's entries); absent when the run stopped early or the task has no test examples.</summary>
    [JsonPropertyName("test")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Id(8)]
    public IReadOnlyDictionary<string, double>? Test { get; init; }
}
