using Accept.GrainInterfaces.Tensors;

namespace Accept.Grains.Execution;

/// <summary>What one step on the step worker hands back to its grain: plain values and wire-ready gradients, no tensors.</summary>
/// <param name="Step">The task's step count after this step (1-based step number).</param>
/// <param name="Gradients">Codebook gradients as payloads; empty when skipped or frozen.</param>
public sealed record StepReport(
    long Step,
    double Loss,
    bool Skipped,
    long Tokens,
    double LearningRate,
    double Seconds,
    IReadOnlyDictionary<string, TensorPayload> Gradients);
