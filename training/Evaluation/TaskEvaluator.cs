using Accept.Training.Data;
using Accept.Training.Prediction;

namespace Accept.Training.Evaluation;

/// <summary>A trained task's predictions on a split and every metric of the task on them: one decoding
/// (<see cref="TaskDecoder"/>), one normalisation and one metric computation (<see cref="TaskData.Metrics"/>),
/// the same <c>accept predict</c> output is scored with.</summary>
public static class TaskEvaluator
{
    public static TaskEvaluation Evaluate(TaskDecoder decoder, TrainedAdapter trained, TaskData data, TaskSplit split, int batchSize,
        IProgress<DecodeProgress>? progress = null)
    {
        var examples = data.Examples(split);
        if (examples.Count == 0) throw new ArgumentException($"task '{data.Name}' has no {Describe(split)} examples");
        var predictions = decoder.Decode(trained, [.. examples.Select(e => e.Input)], batchSize, progress);
        var metrics = data.Metrics.Score(predictions, data.References(split));
        return new TaskEvaluation(data.Name, trained.Which, trained.Step, split, examples.Count, metrics, predictions) { Notes = trained.Notes };
    }

    public static string Describe(TaskSplit split) => split.ToString().ToLowerInvariant();

    /// <summary>"test" or "validation" (any case); anything else is an error naming the option.</summary>
    public static TaskSplit ParseSplit(string value, string option = "--split") => value.Trim().ToLowerInvariant() switch
    {
        "test" => TaskSplit.Test,
        "validation" or "valid" or "dev" => TaskSplit.Validation,
        _ => throw new ArgumentException($"{option}: expected test or validation, found '{value}'"),
    };
}
