using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Accept.Training.T5;

/// <summary>The decoder stack: causal relative-position self-attention, cross-attention, FFN blocks and a final norm.</summary>
public sealed class T5Decoder : nn.Module
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

    /// <param name="embeds">decoder input embeddings [B,T,d]</param>
    /// <param name="encoderHidden">[B,S,d]</param>
    /// <param name="encoderMask">[B,S]</param>
    /// <param name="cache">when given, embeds are the next positions after the cached ones</param>
    /// <returns>hidden states after the final norm [B,T,d]</returns>
    public Tensor Forward(Tensor embeds, Tensor encoderHidden, Tensor encoderMask, T5DecoderCache? cache = null)
    {
        using var scope = torch.NewDisposeScope();
        var length = embeds.shape[1];
        var offset = cache?.Length ?? 0;
        var selfBias = block[0].SelfAttention.ComputeBias(length, offset + length, offset)
            + MaskBias.Causal(length, offset + length, offset, embeds.dtype, embeds.device);
        var encoderBias = MaskBias.FromPadding(encoderMask, embeds.dtype);
        var hidden = embeds;
        for (var i = 0; i < block.Count; i++)
        {
            hidden = cache is null
                ? block[i].Forward(hidden, selfBias, encoderHidden, encoderBias)
                : block[i].Forward(hidden, selfBias, encoderHidden, encoderBias, cache, i);
        }
        return final_layer_norm.forward(hidden).MoveToOuterDisposeScope();
    }
}
