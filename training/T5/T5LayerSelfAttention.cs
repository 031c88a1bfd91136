using TorchSharp;
using static TorchSharp.torch;

namespace Accept.Training.T5;

/// <summary>`layer.0`: pre-norm self-attention with a residual connection.</summary>
public sealed class T5LayerSelfAttention : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly T5Attention SelfAttention;
    private readonly T5LayerNorm layer_norm;

    public T5LayerSelfAttention(T5Config config, bool hasRelativeBias, bool bidirectional) : base(nameof(T5LayerSelfAttention))
    {
        SelfAttention = new T5Attention(config, hasRelativeBias, bidirectional);
        layer_norm = new T5LayerNorm(config.DModel, config.LayerNormEpsilon);
        RegisterComponents();
    }

    public T5Attention Attention => SelfAttention;

    /// <summary>Without a cache: keys and values come from this input. hidden [B,T,d], bias [B|1,H,T,T].</summary>
    public override Tensor forward(Tensor hidden, Tensor bias)
    {
        using var scope = torch.NewDisposeScope();
        var normed = layer_norm.forward(hidden);
        Tensor attended;
        using (StepBreakdown.Time(StepBreakdown.Attention))
        {
            var (keys, values) = SelfAttention.ProjectKeyValue(normed);
            attended = SelfAttention.forward(normed, keys, values, bias);
        }
        return Residual.Add(attended, hidden).MoveToOuterDisposeScope();
    }

    /// <summary>With a cache: this input's keys/values are appended to the cached ones of layer <paramref name="index"/>.</summary>
    public Tensor forward(Tensor hidden, Tensor bias, T5DecoderCache cache, int index)
    {
        using var scope = torch.NewDisposeScope();
        var normed = layer_norm.forward(hidden);
        var (keys, values) = SelfAttention.ProjectKeyValue(normed);
        (keys, values) = cache.AppendSelf(index, keys, values);
        return Residual.Add(SelfAttention.forward(normed, keys, values, bias), hidden).MoveToOuterDisposeScope();
    }
}
