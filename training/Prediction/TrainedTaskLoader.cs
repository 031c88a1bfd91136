using Accept.Training.Checkpointing;
using Accept.Training.Config;
using Accept.Training.Prompts;
using static TorchSharp.torch;

namespace Accept.Training.Prediction;

/// <summary>
/// The one seam between a run directory's checkpoints and everything that uses a trained task (eval,
/// predict, generate, the end-of-training test evaluation): opens the run's checkpoints and loads the
/// task's state and its group's codebooks.
/// </summary>
public static class TrainedTaskLoader
{
    /// <param name="spec">The run's spec.json (the task's group, the seed the adapter is built with).</param>
    /// <param name="layout">The run's prompt layout (<see cref="MethodSpec.ToLayout"/> at the backbone's width).</param>
    /// <param name="which">Best: the state at the task's best validation metric, or the last one when it never evaluated.</param>
    /// <param name="device">Where the weights and codebooks go (the backbone's device); null: the CPU.</param>
    public static TrainedTask Load(string runDirectory, RunSpec spec, PromptLayout layout, string task, CheckpointChoice which, Device? device = null)
    {
        var taskSpec = spec.Tasks.FirstOrDefault(t => t.Name == task)
            ?? throw new ArgumentException($"--task: the run has no task '{task}' (tasks: {string.Join(", ", spec.Tasks.Select(t => t.Name))})");
        var checkpoints = new RunCheckpoints(Path.Combine(runDirectory, "checkpoints"));
        var best = which == CheckpointChoice.Best ? checkpoints.Best(task) : null;
        var folder = best ?? checkpoints.Latest()
            ?? throw new InvalidDataException($"{runDirectory}: no checkpoint holds task '{task}' (checkpoints/ has none)");
        if (!folder.HasTask(task)) throw new InvalidDataException($"{folder.Path}: the checkpoint has no state of task '{task}'");
        if (folder.Manifest.DModel != layout.DModel)
            throw new InvalidDataException($"{folder.Path}: the checkpoint is for d_model {folder.Manifest.DModel}, the run's backbone has {layout.DModel}");

        using var state = folder.Task(task);
        using var group = folder.Group(folder.GroupNames.Count == 1 ? folder.GroupNames[0] : taskSpec.CodebookGroup);
        var adapter = new TaskAdapter(task, layout, spec.Optimization.Seed, device: device);
        try
        {
            adapter.LoadStateDict(state.Tensors);
            var codebooks = group.Codebooks.ToDictionary(c => c.Key, c => c.Value.to(device ?? CPU).detach().clone());
            return new TrainedTask(task, best is null ? CheckpointChoice.Last : CheckpointChoice.Best, folder.Step, adapter, codebooks);
        }
        catch
        {
            adapter.Dispose();
            throw;
        }
    }
}
