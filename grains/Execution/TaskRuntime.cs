using System.Diagnostics;
using Accept.GrainInterfaces.Codebooks;
using Accept.Grains.Tensors;
using Accept.Training.Checkpointing;
using Accept.Training.MultiTask;
using Accept.Training.T5;
using static TorchSharp.torch;

namespace Accept.Grains.Execution;

/// <summary>
/// One task's TorchSharp side on a silo: its session, the shared backbone and its local copy of the
/// group's codebooks at <see cref="CodebookVersion"/>, all on the session's device. Every method runs
/// synchronously on the step worker; the grain calls them one at a time. What leaves (gradient payloads,
/// checkpoint bytes) goes through the CPU.
/// </summary>
public sealed class TaskRuntime : IDisposable
{
    private Dictionary<string, Tensor> _codebooks = new();

    public TaskRuntime(TaskSession session, T5Model backbone)
    {
        Session = session;
        Backbone = backbone;
    }

    public TaskSession Session { get; }

    public T5Model Backbone { get; }

    public long CodebookVersion { get; private set; } = -1;

    /// <summary>Replaces the local codebooks with a snapshot's (no-op when it carries no tensors).</summary>
    public void SetCodebooks(CodebookSnapshot snapshot)
    {
        if (snapshot.Tensors is null)
        {
            CodebookVersion = snapshot.Version;
            return;
        }
        var fresh = snapshot.Tensors.ToDictionary(t => t.Key, t => TensorPayloadConverter.ToTensor(t.Value, t.Key, Session.Device));
        DisposeCodebooks();
        _codebooks = fresh;
        CodebookVersion = snapshot.Version;
    }

    /// <summary>One training step against the local codebooks; the outcome's tensors never leave this call.</summary>
    public StepReport Step()
    {
        var watch = Stopwatch.StartNew();
        var learningRate = Session.PromptLearningRate;
        using var outcome = Session.Step(Backbone, _codebooks);
        var gradients = outcome.CodebookGradients.ToDictionary(g => g.Key, g => TensorPayloadConverter.ToPayload(g.Value));
        return new StepReport(Session.StepCount, outcome.Loss, outcome.Skipped, outcome.Tokens, learningRate, watch.Elapsed.TotalSeconds, gradients);
    }

    public EvalResult Evaluate() => Session.Evaluate(Backbone, _codebooks);

    public byte[] CaptureBytes()
    {
        using var checkpoint = Session.Capture();
        return checkpoint.ToBytes();
    }

    /// <summary>The task's state and the codebooks it was evaluated with (with their version), for its best checkpoint.</summary>
    public (byte[] Task, byte[] Codebooks) CaptureBest()
    {
        using var state = Session.Capture();
        var tensors = _codebooks.ToDictionary(t => t.Key, t => t.Value.detach().cpu().clone());
        tensors["version"] = tensor(CodebookVersion);
        tensors["rounds"] = tensor(CodebookVersion);
        using var codebooks = new CodebookCheckpoint(Session.GroupName, tensors);
        return (state.ToBytes(), codebooks.ToBytes());
    }

    public void Restore(byte[] bytes, string source)
    {
        using var checkpoint = TaskCheckpoint.FromBytes(bytes, source);
        Session.Restore(checkpoint);
    }

    public void Dispose()
    {
        DisposeCodebooks();
        Session.Dispose();
    }

    private void DisposeCodebooks()
    {
        foreach (var tensor in _codebooks.Values)
        {
            tensor.Dispose();
        }
        _codebooks = new();
    }
}
