using Accept.Training.Checkpointing;
using Accept.Training.Data;
using Accept.Training.MultiTask;
using Accept.Training.Prediction;
using Accept.Training.T5;
using static TorchSharp.torch;

namespace Accept.Training.Evaluation;

/// <summary>What <c>accept eval</c> scores: a split, the state (best on validation, or last), one task or all, a batch size (null: the run's).</summary>
public sealed record EvalRequest(TaskSplit Split = TaskSplit.Test, CheckpointChoice Which = CheckpointChoice.Best, string? Task = null, int? BatchSize = null);

/// <summary>
/// The paper's protocol over a run directory: each task's state chosen on validation (its best checkpoint)
/// or its last, scored with every metric of the task on the chosen split, averaged per benchmark.
/// </summary>
public static class RunEvaluator
{
    /// <param name="context">The run's spec.json loaded (its tasks' data, tokenizer and layout).</param>
    /// <param name="progress">Told of each task's decoding progress.</param>
    public static RunEvaluation Evaluate(string runDirectory, RunContext context, T5Model backbone, EvalRequest request, Device? device = null,
        Action<string, DecodeProgress>? progress = null)
    {
        var names = request.Task is { } only
            ? (context.TaskNames.Contains(only) ? [only] : throw new ArgumentException($"--task: the run has no task '{only}' (tasks: {string.Join(", ", context.TaskNames)})"))
            : context.TaskNames;
        int batchSize = request.BatchSize ?? context.Spec.Optimization.BatchSize;
        var results = new List<TaskEvaluation>();
        var skipped = new List<string>();
        foreach (var name in names)
        {
            var data = context.Data[name];
            if (data.Examples(request.Split).Count == 0)
            {
                skipped.Add(name);
                continue;
            }
            var decoder = TaskDecoder.For(backbone, context.Tokenizer, context.Spec, context.Task(name), device);
            decoder.CheckBatchSize(batchSize);
            using var trained = TrainedTaskLoader.Load(runDirectory, context.Spec, context.Layout, name, request.Which, device);
            results.Add(TaskEvaluator.Evaluate(decoder, trained, data, request.Split, batchSize,
                progress is null ? null : new InlineProgress<DecodeProgress>(p => progress(name, p))));
        }
        return new RunEvaluation(request.Split, request.Which, results, BenchmarkAverages.Of(context.Spec, results), skipped);
    }
}
