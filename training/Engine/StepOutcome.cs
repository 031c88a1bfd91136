using static TorchSharp.torch;

namespace Accept.Training.Engine;

/// <summary>
/// The result of one task step: the batch's mean loss, the codebook gradients (detached, not applied;
/// empty when skipped or when codebooks were frozen; the caller disposes them), whether the step was
/// skipped for a non-finite loss or gradient, and the real tokens processed.
/// </summary>
public sealed record StepOutcome(float Loss, IReadOnlyDictionary<string, Tensor> CodebookGradients, bool Skipped, long Tokens) : IDisposable
{
    public void Dispose()
    {
        foreach (var g in CodebookGradients.Values) g.Dispose();
    }
}
