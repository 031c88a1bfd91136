using TorchSharp;
using static TorchSharp.torch;

namespace Accept.Training.T5;

/// <summary>Decoder `layer.1`: pre-norm attention over the encoder output, with a residual connection.</summary>
public sealed class T5LayerCrossAttention : nn.Module
{
    private readonly T5Attention EncDecAttention;
    private readonly T5LayerNorm layer_norm;

    public T5LayerCrossAttention(T5Config config) : base(nameof(T5LayerCrossAttention))
    {
        EncDecAttention = new T5Attention(config, hasRelativeBias: false, bidirectional: true);
        layer_norm = new T5LayerNorm(config.DModel, config.LayerNormEpsilon);
        RegisterComponents();
    }

    public (Tensor Keys, Tensor Values) ProjectEncoder(Tensor encoderHidden) => EncDecAttention.ProjectKeyValue(encoderHidden);

    /// <param name="encoderBias">the encoder padding mask as an additive bias [B,1,1,S]</param>
    public Tensor Forward(Tensor hidden, Tensor keys, Tensor values, Tensor encoderBias)
    {
        using var scope = torch.NewDisposeScope();
        var normed = layer_norm.forward(hidden);
        return (hidden + EncDecAttention.Attend(normed, keys, values, encoderBias)).MoveToOuterDisposeScope();
    }
}
