using Accept.Training.Checkpointing;
using Accept.Training.Prompts;
using static TorchSharp.torch;

namespace Accept.Training.Prediction;

/// <summary>
/// A trained task ready to decode: its <see cref="TaskAdapter"/> (the weights of P and ΔE) and its group's
/// codebooks from the same checkpoint, on one device. <see cref="Which"/> is the state actually loaded (a
/// task never evaluated falls back to its last state); <see cref="Notes"/> are the reader's fallbacks (a
/// corrupt newest checkpoint skipped, …), one line each. Owns its tensors.
/// </summary>
public sealed class TrainedAdapter(string task, CheckpointChoice which, long step, TaskAdapter adapter, IReadOnlyDictionary<string, Tensor> codebooks,
    IReadOnlyList<string> notes) : IDisposable
{
    public string Task { get; } = task;
    public CheckpointChoice Which { get; } = which;

    /// <summary>The training step the state was captured at.</summary>
    public long Step { get; } = step;

    public TaskAdapter Adapter { get; } = adapter;

    /// <summary>The group's codebooks (no optimizer state).</summary>
    public IReadOnlyDictionary<string, Tensor> Codebooks { get; } = codebooks;

    public IReadOnlyList<string> Notes { get; } = notes;

    public void Dispose()
    {
        Adapter.Dispose();
        foreach (var c in Codebooks.Values) c.Dispose();
    }
}
