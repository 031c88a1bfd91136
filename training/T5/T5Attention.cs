using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Accept.Training.T5;

/// <summary>
/// T5 multi-head attention: no 1/√d_k scaling, and an additive bias (relative positions and/or masks).
/// Only the first layer of each stack owns `relative_attention_bias`; its bias is shared by the others.
/// </summary>
public sealed class T5Attention : nn.Module<Tensor, Tensor, Tensor, Tensor, Tensor>
{
    private readonly int _heads;
    private readonly int _dKv;
    // libtorch's fused attention divides the scores by √d_kv and TorchSharp 0.107 does not pass its `scale`:
    // the queries are multiplied by √d_kv first (exact for d_kv = 64, a power of four, as in every T5).
    private readonly double _queryScale;

    // Field names are HF's parameter names: RegisterComponents turns them into state_dict keys.
    private readonly Linear q;
    private readonly Linear k;
    private readonly Linear v;
    private readonly Linear o;
    private readonly T5RelativePositionBias? relative_attention_bias;

    public T5Attention(T5Config config, bool hasRelativeBias, bool bidirectional) : base("Attention")
    {
        _heads = config.NumHeads;
        _dKv = config.DKv;
        _queryScale = Math.Sqrt(config.DKv);
        var inner = config.NumHeads * config.DKv;
        q = nn.Linear(config.DModel, inner, hasBias: false);
        k = nn.Linear(config.DModel, inner, hasBias: false);
        v = nn.Linear(config.DModel, inner, hasBias: false);
        o = nn.Linear(inner, config.DModel, hasBias: false);
        if (hasRelativeBias)
            relative_attention_bias = new T5RelativePositionBias(config, bidirectional);
        RegisterComponents();
    }

    /// <summary>The relative position bias of the stack's first layer (the others have none).</summary>
    public T5RelativePositionBias PositionBias => relative_attention_bias
        ?? throw new InvalidOperationException("only the first layer of a T5 stack has a relative attention bias");

    /// <summary>Keys and values of <paramref name="source"/> [B,S,d], each [B,H,S,d_kv].</summary>
    public (Tensor Keys, Tensor Values) ProjectKeyValue(Tensor source) => (SplitHeads(k.forward(source)), SplitHeads(v.forward(source)));

    /// <summary>Attends from <paramref name="hidden"/> [B,T,d] to keys/values [B,H,K,d_kv] with additive <paramref name="bias"/> [B|1,H|1,T,K]; returns [B,T,d].</summary>
    public override Tensor forward(Tensor hidden, Tensor keys, Tensor values, Tensor bias)
    {
        using var scope = torch.NewDisposeScope();
        using var queryScale = _queryScale.ToScalar();
        var queries = SplitHeads(q.forward(hidden).mul_(queryScale));
        // libtorch's fused kernel (flash attention on the CPU): softmax(q kᵀ/√d_kv + bias) v without the
        // [B,H,T,K] scores and weights as separate tensors, forward or backward. Output [B,H,T,d_kv].
        var context = nn.functional.scaled_dot_product_attention(queries, keys, values, bias).transpose(1, 2);
        var merged = context.reshape(context.shape[0], context.shape[1], _heads * _dKv);
        return o.forward(merged).MoveToOuterDisposeScope();
    }

    // [B,S,H·d_kv] → [B,H,S,d_kv]
    private Tensor SplitHeads(Tensor x)
    {
        using (x)
            return x.view(x.shape[0], x.shape[1], _heads, _dKv).transpose(1, 2);
    }
}
