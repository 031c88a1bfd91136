using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Accept.Training.T5;

/// <summary>The encoder stack: bidirectional relative-position self-attention blocks and a final norm.</summary>
public sealed class T5Encoder : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly ModuleList<T5EncoderBlock> block;
    private readonly T5LayerNorm final_layer_norm;

    public T5Encoder(T5Config config) : base(nameof(T5Encoder))
    {
        block = new ModuleList<T5EncoderBlock>(Enumerable.Range(0, config.NumLayers)
            .Select(i => new T5EncoderBlock(config, hasRelativeBias: i == 0)).ToArray());
        final_layer_norm = new T5LayerNorm(config.DModel, config.LayerNormEpsilon);
        RegisterComponents();
    }

    /// <param name="embeds">[B,S,d]</param>
    /// <param name="mask">[B,S], 1 for tokens, 0 for padding</param>
    /// <returns>[B,S,d]</returns>
    public override Tensor forward(Tensor embeds, Tensor mask)
    {
        using var scope = torch.NewDisposeScope();
        var length = embeds.shape[1];
        Tensor bias; // [B,H,S,S], computed once and added by every layer
        using (StepBreakdown.Time(StepBreakdown.PositionBiasAndMasks))
            bias = block[0].SelfAttention.PositionBias.forward(length, length, 0).add(MaskBias.FromPadding(mask, embeds.dtype));
        var hidden = embeds;
        foreach (var b in block)
            hidden = b.forward(hidden, bias);
        return final_layer_norm.forward(hidden).MoveToOuterDisposeScope();
    }
}
