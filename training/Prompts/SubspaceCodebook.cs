using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Accept.Training.Prompts;

/// <summary>A subspace codebook C (K, r, t): r codewords of width t for each of K subspaces (d = K·t).</summary>
public sealed class SubspaceCodebook : nn.Module
{
    private readonly Parameter codebook;

    /// <param name="a">Kaiming-uniform slope: √5 for SCPP, 0 for SCAP (so ΔE ≠ 0 at step 0).</param>
    public SubspaceCodebook(long subspaces, long codewords, long subDim, double a, Generator generator, ScalarType dtype = ScalarType.Float32)
        : base(nameof(SubspaceCodebook))
    {
        codebook = new Parameter(KaimingUniform.Sample([subspaces, codewords, subDim], a, generator, dtype));
        RegisterComponents();
    }

    public Parameter Codebook => codebook;
}
