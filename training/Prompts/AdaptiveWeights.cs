using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Accept.Training.Prompts;

/// <summary>Dense, unconstrained adaptive weights W (n, K, r) of one task; forward composes them with a codebook.</summary>
public sealed class AdaptiveWeights : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weights;

    public AdaptiveWeights(long tokens, long subspaces, long codewords, Generator generator, ScalarType dtype = ScalarType.Float32)
        : base(nameof(AdaptiveWeights))
    {
        weights = new Parameter(KaimingUniform.Sample([tokens, subspaces, codewords], Math.Sqrt(5), generator, dtype));
        RegisterComponents();
    }

    public Parameter Weights => weights;

    /// <summary>codebook (K, r, t) → (n, K·t).</summary>
    public override Tensor forward(Tensor codebook) => SubspaceComposition.Compose(weights, codebook);
}
