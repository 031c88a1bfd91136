using Accept.Training.Checkpointing;
using Accept.Training.Data;
using Accept.Training.Metrics;
using Accept.Training.Prediction;

namespace Accept.Training.Evaluation;

/// <summary>One task scored on one split: the state used (<see cref="Which"/> at <see cref="Step"/>), every
/// metric of the task (the primary first) and the predictions they were computed from, in split order.</summary>
public sealed record TaskEvaluation(string Task, CheckpointChoice Which, long Step, TaskSplit Split, int Examples,
    IReadOnlyList<MetricValue> Metrics, IReadOnlyList<string> Predictions)
{
    /// <summary>The checkpoint reader's fallbacks for this task (a corrupt newest checkpoint skipped, no best one), one line each.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The task's score in benchmark averages: its primary (the paper's) metric.</summary>
    public double Score => Metrics[0].Value;

    /// <summary>The entry eval.json and summary.json write: each metric by name, then <c>examples</c>.</summary>
    public IReadOnlyDictionary<string, double> Entry()
    {
        var entry = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var m in Metrics) entry[m.Name] = m.Value;
        entry["examples"] = Examples;
        return entry;
    }
}
