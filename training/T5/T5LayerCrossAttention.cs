using TorchSharp;
using static TorchSharp.torch;

namespace Accept.Training.T5;

/// <summary>Decoder `layer.1`: pre-norm attention over the encoder output, with a residual connection.</summary>
public sealed class T5LayerCrossAttention : nn.Module<Tensor, Tensor, Tensor, Tensor, Tensor>
{
    private readonly T5Attention EncDecAttention;
    private readonly T5LayerNorm layer_norm;

    public T5LayerCrossAttention(T5Config config) : base(nameof(T5LayerCrossAttention))
    {
        EncDecAttention = new T5Attention(config, hasRelativeBias: false, bidirectional: true);
        layer_norm = new T5LayerNorm(config.DModel, config.LayerNormEpsilon);
        RegisterComponents();
    }

    /// <summary>Keys and values of the encoder output [B,S,d], each [B,H,S,d_kv].</summary>
    public (Tensor Keys, Tensor Values) ProjectKeyValue(Tensor encoderHidden)
    {
        using (StepBreakdown.Time(StepBreakdown.Attention))
            return EncDecAttention.ProjectKeyValue(encoderHidden);
    }

    /// <param name="hidden">[B,T,d]</param>
    /// <param name="keys">encoder keys [B,H,S,d_kv], from <see cref="ProjectKeyValue"/></param>
    /// <param name="values">encoder values [B,H,S,d_kv]</param>
    /// <param name="encoderBias">the encoder padding mask as an additive bias [B,1,1,S]</param>
    public override Tensor forward(Tensor hidden, Tensor keys, Tensor values, Tensor encoderBias)
    {
        using var scope = torch.NewDisposeScope();
        var normed = layer_norm.forward(hidden);
        Tensor attended;
        using (StepBreakdown.Time(StepBreakdown.Attention))
            attended = EncDecAttention.forward(normed, keys, values, encoderBias);
        return Residual.Add(attended, hidden).MoveToOuterDisposeScope();
    }
}
