using Accept.Training.Checkpointing;
using Accept.Training.MultiTask;
using Accept.Training.Prediction;
using Accept.Training.T5;
using static TorchSharp.torch;

namespace Accept.Training.Evaluation;

/// <summary>How a run ends: every task's metrics on the test split with its best (validation-selected)
/// checkpoint, for summary.json's <c>tasks.NAME.test</c>. Tasks without test examples are left out.</summary>
public static class TestMetrics
{
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> OfBest(string runDirectory, RunContext context, T5Model backbone, Device? device = null) =>
        RunEvaluator.Evaluate(runDirectory, context, backbone, new EvalRequest(Data.TaskSplit.Test, CheckpointChoice.Best), device)
            .Tasks.ToDictionary(t => t.Task, t => t.Entry());
}
