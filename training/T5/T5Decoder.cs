using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Accept.Training.T5;

/// <summary>The decoder stack: causal relative-position self-attention, cross-attention, FFN blocks and a final norm.</summary>
public sealed class T5Decoder : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly ModuleList<T5DecoderBlock> block;
    private readonly T5LayerNorm final_layer_norm;

    public T5Decoder(T5Config config) : base(nameof(T5Decoder))
    {
        block = new ModuleList<T5DecoderBlock>(Enumerable.Range(0, config.NumDecoderLayers)
            .Select(i => new T5DecoderBlock(config, hasRelativeBias: i == 0)).ToArray());
        final_layer_norm = new T5LayerNorm(config.DModel, config.LayerNormEpsilon);
        RegisterComponents();
    }

    public int Layers => block.Count;

    /// <summary>Without a cache: all decoder positions at once.</summary>
    public override Tensor forward(Tensor embeds, Tensor encoderHidden, Tensor encoderMask) => forward(embeds, encoderHidden, encoderMask, null);

    /// <param name="embeds">decoder input embeddings [B,T,d]</param>
    /// <param name="encoderHidden">[B,S,d]</param>
    /// <param name="encoderMask">[B,S]</param>
    /// <param name="cache">when given, embeds are the next positions after the cached ones</param>
    /// <returns>hidden states after the final norm [B,T,d]</returns>
    public Tensor forward(Tensor embeds, Tensor encoderHidden, Tensor encoderMask, T5DecoderCache? cache)
    {
        using var scope = torch.NewDisposeScope();
        var length = embeds.shape[1];
        var offset = cache?.Length ?? 0;
        Tensor selfBias, encoderBias; // [1,H,T,K] and [B,1,1,S], computed once and added by every layer
        using (StepBreakdown.Time(StepBreakdown.PositionBiasAndMasks))
        {
            selfBias = block[0].SelfAttention.PositionBias.forward(length, offset + length, offset)
                .add(MaskBias.Causal(length, offset + length, offset, embeds.dtype, embeds.device));
            encoderBias = MaskBias.FromPadding(encoderMask, embeds.dtype);
        }
        var hidden = embeds;
        for (var i = 0; i < block.Count; i++)
        {
            hidden = cache is null
                ? block[i].forward(hidden, selfBias, encoderHidden, encoderBias)
                : block[i].forward(hidden, selfBias, encoderHidden, encoderBias, cache, i);
        }
        return final_layer_norm.forward(hidden).MoveToOuterDisposeScope();
    }
}
