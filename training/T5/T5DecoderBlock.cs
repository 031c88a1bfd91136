using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Accept.Training.T5;

/// <summary>Decoder `block.N`: layer.0 causal self-attention, layer.1 cross-attention, layer.2 feed-forward.</summary>
public sealed class T5DecoderBlock : nn.Module<Tensor, Tensor, Tensor, Tensor, Tensor>
{
    private readonly ModuleList<nn.Module> layer;

    public T5DecoderBlock(T5Config config, bool hasRelativeBias) : base(nameof(T5DecoderBlock))
    {
        layer = new ModuleList<nn.Module>(
            new T5LayerSelfAttention(config, hasRelativeBias, bidirectional: false),
            new T5LayerCrossAttention(config),
            new T5LayerFF(config));
        RegisterComponents();
    }

    public T5Attention SelfAttention => ((T5LayerSelfAttention)layer[0]).Attention;

    private T5LayerCrossAttention Cross => (T5LayerCrossAttention)layer[1];

    /// <param name="selfBias">position bias plus causal mask [1,H,T,T]</param>
    /// <param name="encoderBias">encoder padding mask as bias [B,1,1,S]</param>
    public override Tensor forward(Tensor hidden, Tensor selfBias, Tensor encoderHidden, Tensor encoderBias)
    {
        using var scope = torch.NewDisposeScope();
        var x = ((T5LayerSelfAttention)layer[0]).forward(hidden, selfBias);
        var (keys, values) = Cross.ProjectKeyValue(encoderHidden);
        x = Cross.forward(x, keys, values, encoderBias);
        return ((T5LayerFF)layer[2]).forward(x).MoveToOuterDisposeScope();
    }

    /// <summary>One cached step: self keys/values are appended; encoder keys/values are projected once and kept.</summary>
    public Tensor forward(Tensor hidden, Tensor selfBias, Tensor encoderHidden, Tensor encoderBias, T5DecoderCache cache, int index)
    {
        using var scope = torch.NewDisposeScope();
        var x = ((T5LayerSelfAttention)layer[0]).forward(hidden, selfBias, cache, index);
        var (keys, values) = cache.CrossFor(index, () => Cross.ProjectKeyValue(encoderHidden));
        x = Cross.forward(x, keys, values, encoderBias);
        return ((T5LayerFF)layer[2]).forward(x).MoveToOuterDisposeScope();
    }
}
