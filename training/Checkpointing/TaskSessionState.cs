using System.Text.Json.Serialization;

namespace Accept.Training.Checkpointing;

/// <summary>
/// The non-tensor state of a task while training, serialised as JSON beside its tensors. The data order
/// of epoch e is a shuffle seeded from (seed, task, e), so <see cref="Epoch"/> and <see cref="Position"/>
/// are the whole RNG state of the data cursor.
/// </summary>
public sealed record TaskSessionState(
    [property: JsonPropertyName("task")] string Task,
    [property: JsonPropertyName("step")] long Step,
    [property: JsonPropertyName("epoch")] long Epoch,
    [property: JsonPropertyName("position")] int Position,
    [property: JsonPropertyName("best_metric")] double? BestMetric,
    [property: JsonPropertyName("best_step")] long? BestStep,
    [property: JsonPropertyName("last_eval_step")] long? LastEvalStep,
    [property: JsonPropertyName("last_metric")] double? LastMetric,
    [property: JsonPropertyName("skipped")] long Skipped,
    [property: JsonPropertyName("tokens")] long Tokens,
    [property: JsonPropertyName("recent_losses")] IReadOnlyList<double> RecentLosses,
    [property: JsonPropertyName("first_losses")] IReadOnlyList<double> FirstLosses);
