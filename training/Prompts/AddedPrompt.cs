using static TorchSharp.torch;

namespace Accept.Training.Prompts;

/// <summary>The task's added prompt ΔE (l, d): SCAP weights over the shared SCAP codebook, or DePT's low-rank A·B.</summary>
public sealed class AddedPrompt : nn.Module<IReadOnlyDictionary<string, Tensor>, Tensor>
{
    private readonly AdaptiveWeights? scap;
    private readonly LowRankAddedPrompt? dept;

    public AddedPrompt(PromptLayout layout, Generator generator, ScalarType dtype = ScalarType.Float32)
        : base(nameof(AddedPrompt))
    {
        switch (layout.Added)
        {
            case AddedKind.Scap:
                scap = new AdaptiveWeights(layout.MaxLength, layout.Scap.K, layout.Scap.R, generator, dtype);
                break;
            case AddedKind.Dept:
                dept = new LowRankAddedPrompt(layout.MaxLength, layout.AddedRank, layout.DModel, layout.AddedAlpha, generator, dtype);
                break;
            default:
                throw new ArgumentException("AddedPrompt needs method.added.kind scap or dept");
        }
        RegisterComponents();
    }

    public IEnumerable<KeyValuePair<string, Tensor>> NamedWeights()
    {
        if (scap is not null) yield return new(PromptTensorNames.ScapWeights, scap.Weights);
        if (dept is not null)
        {
            yield return new(PromptTensorNames.DeptA, dept.A);
            yield return new(PromptTensorNames.DeptB, dept.B);
        }
    }

    /// <summary>codebooks (needs <c>scap.codebook</c> for SCAP) → ΔE (l, d).</summary>
    public override Tensor forward(IReadOnlyDictionary<string, Tensor> codebooks)
    {
        if (dept is not null) return dept.Compute();
        return scap!.forward(CodebookLookup.Require(codebooks, PromptTensorNames.ScapCodebook));
    }
}
