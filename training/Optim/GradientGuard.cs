using static TorchSharp.torch;

namespace Accept.Training.Optim;

/// <summary>Detects NaN/±inf in gradients so a step can be skipped instead of poisoning the weights.</summary>
public static class GradientGuard
{
    public static bool AllFinite(IEnumerable<Tensor> tensors)
    {
        foreach (var t in tensors)
        {
            using var finite = isfinite(t).all();
            if (!finite.item<bool>()) return false;
        }
        return true;
    }
}
