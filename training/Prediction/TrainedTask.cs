using Accept.Training.Prompts;
using static TorchSharp.torch;

namespace Accept.Training.Prediction;

/// <summary>
/// One task as training left it, ready to decode: its <see cref="TaskAdapter"/> (weights of P and ΔE) and
/// its group's codebooks at the same checkpoint, on one device. <see cref="Which"/> is the state actually
/// loaded (a run without a best evaluation falls back to the last state). Owns its tensors.
/// </summary>
public sealed class TrainedTask(string task, CheckpointChoice which, long step, TaskAdapter adapter, IReadOnlyDictionary<string, Tensor> codebooks) : IDisposable
{
    public string Task { get; } = task;
    public CheckpointChoice Which { get; } = which;

    /// <summary>The training step the state was captured at.</summary>
    public long Step { get; } = step;

    public TaskAdapter Adapter { get; } = adapter;

    /// <summary>The group's codebooks (no optimizer state).</summary>
    public IReadOnlyDictionary<string, Tensor> Codebooks { get; } = codebooks;

    public void Dispose()
    {
        Adapter.Dispose();
        foreach (var c in Codebooks.Values) c.Dispose();
    }
}
