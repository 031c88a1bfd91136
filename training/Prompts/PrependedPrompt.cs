using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Accept.Training.Prompts;

/// <summary>
/// The task's prepended prompt P (m, d): SCPP weights composed with the shared SCPP codebook, or, for
/// the prompt-tuning baseline, a free (m, d) prompt (uniform in ±0.5, Lester et al.'s random init).
/// </summary>
public sealed class PrependedPrompt : nn.Module<IReadOnlyDictionary<string, Tensor>, Tensor>
{
    private readonly AdaptiveWeights? scpp;
    private readonly Parameter? prompt;

    public PrependedPrompt(PromptLayout layout, Generator generator, ScalarType dtype = ScalarType.Float32)
        : base(nameof(PrependedPrompt))
    {
        if (layout.FreePrompt)
        {
            using var u = rand([layout.PromptLength, layout.DModel], dtype: ScalarType.Float64, generator: generator);
            using var half = 0.5.ToScalar(); // explicit and held (see T5RelativePositionBias.Bucket)
            prompt = new Parameter(u.sub(half).to(dtype));
        }
        else
        {
            scpp = new AdaptiveWeights(layout.PromptLength, layout.Scpp.K, layout.Scpp.R, generator, dtype);
        }
        RegisterComponents();
    }

    /// <summary>The trainable tensors of this side, by <see cref="PromptTensorNames"/>.</summary>
    public IEnumerable<KeyValuePair<string, Tensor>> NamedWeights()
    {
        if (scpp is not null) yield return new(PromptTensorNames.ScppWeights, scpp.Weights);
        if (prompt is not null) yield return new(PromptTensorNames.FreePrompt, prompt);
    }

    /// <summary>codebooks (needs <c>scpp.codebook</c> unless free) → P (m, d).</summary>
    public override Tensor forward(IReadOnlyDictionary<string, Tensor> codebooks)
    {
        if (prompt is not null) return prompt;
        return scpp!.forward(CodebookLookup.Require(codebooks, PromptTensorNames.ScppCodebook));
    }
}
