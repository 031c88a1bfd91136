using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Accept.Training.T5;

/// <summary>Encoder `block.N`: layer.0 self-attention, layer.1 feed-forward.</summary>
public sealed class T5EncoderBlock : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly ModuleList<nn.Module> layer;

    public T5EncoderBlock(T5Config config, bool hasRelativeBias) : base(nameof(T5EncoderBlock))
    {
        layer = new ModuleList<nn.Module>(new T5LayerSelfAttention(config, hasRelativeBias, bidirectional: true), new T5LayerFF(config));
        RegisterComponents();
    }

    public T5Attention SelfAttention => ((T5LayerSelfAttention)layer[0]).Attention;

    /// <param name="bias">position bias plus padding mask [B,H,S,S]</param>
    public override Tensor forward(Tensor hidden, Tensor bias)
    {
        using var scope = torch.NewDisposeScope();
        var attended = ((T5LayerSelfAttention)layer[0]).forward(hidden, bias);
        return ((T5LayerFF)layer[1]).forward(attended).MoveToOuterDisposeScope();
    }
}
