using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Accept.Training.T5;

/// <summary>T5's RMS norm: no mean subtraction, no bias; the variance is taken in float32.</summary>
public sealed class T5LayerNorm : nn.Module<Tensor, Tensor>
{
    private readonly double _eps;
    private readonly Parameter weight;

    public T5LayerNorm(long dModel, double eps) : base(nameof(T5LayerNorm))
    {
        _eps = eps;
        weight = new Parameter(torch.ones(dModel), requires_grad: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var section = StepBreakdown.Time(StepBreakdown.LayerNorm);
        using var scope = torch.NewDisposeScope();
        // Explicit Scalars held across the calls (see T5RelativePositionBias.Bucket).
        using var two = 2.ToScalar();
        using var eps = _eps.ToScalar();
        // [B,T,1]; in place where the backward does not read what is overwritten (mean's output; rsqrt saves its result).
        var inverse = x.to_type(ScalarType.Float32).pow(two).mean([-1L], keepdim: true).add_(eps).rsqrt_();
        // weight · (x · inverse), the second product in place on the first (mul's backward reads the weight, not the product).
        return (x * inverse).mul_(weight).MoveToOuterDisposeScope();
    }
}
