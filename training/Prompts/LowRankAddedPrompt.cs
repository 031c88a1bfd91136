using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Accept.Training.Prompts;

/// <summary>DePT's added side: ΔE = (α/√R)·A·B with A (l, R) kaiming-uniform and B (R, d) zeros, so ΔE = 0 at step 0.</summary>
public sealed class LowRankAddedPrompt : nn.Module
{
    private readonly Parameter a;
    private readonly Parameter b;

    public LowRankAddedPrompt(long length, long rank, long dModel, double alpha, Generator generator, ScalarType dtype = ScalarType.Float32)
        : base(nameof(LowRankAddedPrompt))
    {
        Scale = alpha / Math.Sqrt(rank);
        a = new Parameter(KaimingUniform.Sample([length, rank], Math.Sqrt(5), generator, dtype));
        b = new Parameter(zeros(rank, dModel, dtype: dtype));
        RegisterComponents();
    }

    public double Scale { get; }
    public Parameter A => a;
    public Parameter B => b;

    /// <summary>ΔE (l, d).</summary>
    public Tensor Compute()
    {
        // An explicit Scalar held across the call (see T5RelativePositionBias.Bucket).
        using var scale = Scale.ToScalar();
        return a.matmul(b).mul(scale);
    }
}
