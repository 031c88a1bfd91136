using TorchSharp;
using static TorchSharp.torch;

namespace Accept.Training.Optim;

/// <summary>Global L2-norm clipping, as torch.nn.utils.clip_grad_norm_.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales <paramref name="gradients"/> in place so their joint L2 norm is at most <paramref name="maxNorm"/>
    /// and returns the norm before clipping. <paramref name="maxNorm"/> ≤ 0 disables clipping.
    /// </summary>
    public static double ClipGlobalNorm(IEnumerable<Tensor> gradients, double maxNorm)
    {
        var list = gradients.ToList();
        if (list.Count == 0) return 0;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var total = stack(list.Select(g => g.detach().to(ScalarType.Float64).norm()).ToArray()).norm().item<double>();
        if (maxNorm > 0 && double.IsFinite(total))
        {
            double coef = maxNorm / (total + 1e-6);
            if (coef < 1)
            {
                using var scale = coef.ToScalar();
                foreach (var g in list) g.mul_(scale);
            }
        }
        return total;
    }
}
