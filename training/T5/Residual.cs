using static TorchSharp.torch;

namespace Accept.Training.T5;

/// <summary>The residual connection of every T5 sub-layer: hidden + sub-layer output.</summary>
internal static class Residual
{
    /// <summary>
    /// <paramref name="output"/> + <paramref name="hidden"/>, written into <paramref name="output"/>: a
    /// sub-layer's output is a fresh tensor that no backward reads, so no new [B,T,d] tensor is needed.
    /// </summary>
    public static Tensor Add(Tensor output, Tensor hidden)
    {
        using (StepBreakdown.Time(StepBreakdown.Residual))
            return output.add_(hidden);
    }
}
