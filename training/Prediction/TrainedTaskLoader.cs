using Accept.Training.Checkpointing;
using Accept.Training.Config;
using Accept.Training.Prompts;
using static TorchSharp.torch;

namespace Accept.Training.Prediction;

/// <summary>
/// The one seam between a run directory's checkpoints and everything that decodes with a trained task
/// (eval, predict, generate, the end-of-training test evaluation): <see cref="RunCheckpointReader"/> loads
/// the task's state and its group's codebooks from any run (in-process, embedded or Redis cluster,
/// directory or Blob store), and they become a <see cref="TaskAdapter"/> on the device.
/// </summary>
public static class TrainedTaskLoader
{
    /// <param name="spec">The run's spec.json (the seed the adapter is built with).</param>
    /// <param name="layout">The run's prompt layout (<see cref="MethodSpec.ToLayout"/> at the backbone's width).</param>
    /// <param name="which">Best: the state at the task's best validation metric, or the last one when it never evaluated.</param>
    /// <param name="device">Where the weights and codebooks go (the backbone's device); null: the CPU.</param>
    public static TrainedAdapter Load(string runDirectory, RunSpec spec, PromptLayout layout, string task, CheckpointChoice which, Device? device = null)
    {
        using var trained = RunCheckpointReader.Open(runDirectory).LoadTask(task, which);
        var adapter = new TaskAdapter(task, layout, spec.Optimization.Seed, device: device);
        try
        {
            adapter.LoadStateDict(trained.State.Tensors);
            var codebooks = trained.Codebooks.Codebooks.ToDictionary(c => c.Key, c => c.Value.to(device ?? CPU).detach().clone());
            return new TrainedAdapter(task, trained.Which, trained.Step, adapter, codebooks, trained.Notes);
        }
        catch
        {
            adapter.Dispose();
            throw;
        }
    }
}
