using static TorchSharp.torch;

namespace Accept.Training.Optim;

/// <summary>Detects NaN/±inf in gradients so a step can be skipped instead of poisoning the weights.</summary>
public static class GradientGuard
{
    public static bool AllFinite(IEnumerable<Tensor> tensors)
    {
        foreach (var t in tensors)
        {
            // isfinite's mask and its reduction both die here, even when the caller has no dispose scope.
            using var scope = NewDisposeScope();
            if (!isfinite(t).all().item<bool>()) return false;
        }
        return true;
    }
}
