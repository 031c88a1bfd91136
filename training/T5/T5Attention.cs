using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Accept.Training.T5;

/// <summary>
/// T5 multi-head attention: no 1/√d_k scaling, and an additive bias (relative positions and/or masks).
/// Only the first layer of each stack owns `relative_attention_bias`; its bias is shared by the others.
/// </summary>
public sealed class T5Attention : nn.Module
{
    private readonly int _heads;
    private readonly int _dKv;
    private readonly bool _bidirectional;
    private readonly int _buckets;
    private readonly int _maxDistance;

    // Field names are HF's parameter names: RegisterComponents turns them into state_dict keys.
    private readonly Linear q;
    private readonly Linear k;
    private readonly Linear v;
    private readonly Linear o;
    private readonly Embedding? relative_attention_bias;

    public T5Attention(T5Config config, bool hasRelativeBias, bool bidirectional) : base("Attention")
    {
        _heads = config.NumHeads;
        _dKv = config.DKv;
        _bidirectional = bidirectional;
        _buckets = config.RelativeAttentionNumBuckets;
        _maxDistance = config.RelativeAttentionMaxDistance;
        var inner = config.NumHeads * config.DKv;
        q = nn.Linear(config.DModel, inner, hasBias: false);
        k = nn.Linear(config.DModel, inner, hasBias: false);
        v = nn.Linear(config.DModel, inner, hasBias: false);
        o = nn.Linear(inner, config.DModel, hasBias: false);
        if (hasRelativeBias)
            relative_attention_bias = nn.Embedding(config.RelativeAttentionNumBuckets, config.NumHeads);
        RegisterComponents();
    }

    /// <summary>Keys and values of <paramref name="source"/> [B,S,d], each [B,H,S,d_kv].</summary>
    public (Tensor Keys, Tensor Values) ProjectKeyValue(Tensor source) => (SplitHeads(k.forward(source)), SplitHeads(v.forward(source)));

    /// <summary>Attends from <paramref name="hidden"/> [B,T,d] to keys/values [B,H,K,d_kv] with additive <paramref name="bias"/> [B|1,H|1,T,K].</summary>
    public Tensor Attend(Tensor hidden, Tensor keys, Tensor values, Tensor bias)
    {
        using var scope = torch.NewDisposeScope();
        var queries = SplitHeads(q.forward(hidden));
        var scores = queries.matmul(keys.transpose(-1, -2)).add_(bias);
        var weights = nn.functional.softmax(scores, -1, ScalarType.Float32).type_as(scores);
        var context = weights.matmul(values).transpose(1, 2);
        var merged = context.reshape(context.shape[0], context.shape[1], _heads * _dKv);
        return o.forward(merged).MoveToOuterDisposeScope();
    }

    /// <summary>Relative position bias [1,H,T,K] for queries at positions offset..offset+T-1 and keys 0..K-1.</summary>
    public Tensor ComputeBias(long queryLength, long keyLength, long queryOffset)
    {
        if (relative_attention_bias is null)
            throw new InvalidOperationException("only the first layer of a T5 stack has a relative attention bias");
        using var scope = torch.NewDisposeScope();
        var device = relative_attention_bias.weight!.device;
        using var contextStart = queryOffset.ToScalar();
        using var contextEnd = (queryOffset + queryLength).ToScalar();
        using var memoryStart = 0L.ToScalar();
        using var memoryEnd = keyLength.ToScalar();
        var context = torch.arange(contextStart, contextEnd, dtype: ScalarType.Int64, device: device).unsqueeze(1);
        var memory = torch.arange(memoryStart, memoryEnd, dtype: ScalarType.Int64, device: device).unsqueeze(0);
        var buckets = RelativePositionBucket(memory - context, _bidirectional, _buckets, _maxDistance);
        // [T,K,H] → [1,H,T,K]
        return relative_attention_bias.forward(buckets).permute(2, 0, 1).unsqueeze(0).MoveToOuterDisposeScope();
    }

    /// <summary>HF's `_relative_position_bucket`, op for op, so that boundary cases round the same way.</summary>
    internal static Tensor RelativePositionBucket(Tensor relative, bool bidirectional, int numBuckets, int maxDistance)
    {
        // Numbers go to libtorch as explicit Scalars held until the method returns: an implicit Scalar is
        // unreachable once its handle is read, so the GC may finalize it while native code still reads it
        // (seen once as a corrupted scalar in an int64 multiply while two steps ran at once).
        using var scope = torch.NewDisposeScope();
        using var zero = 0.ToScalar();
        var buckets = torch.zeros_like(relative);
        if (bidirectional)
        {
            numBuckets /= 2;
            using var half = numBuckets.ToScalar();
            buckets = buckets + relative.gt(zero).to_type(ScalarType.Int64).mul(half);
            relative = relative.abs();
        }
        else
        {
            relative = -torch.minimum(relative, torch.zeros_like(relative));
        }
        var maxExact = numBuckets / 2;
        using var exact = maxExact.ToScalar();
        using var logRange = Math.Log((double)maxDistance / maxExact).ToScalar();
        using var span = (numBuckets - maxExact).ToScalar();
        using var last = (numBuckets - 1).ToScalar();
        var isSmall = relative.lt(exact);
        var large = torch.log(relative.to_type(ScalarType.Float32).div(exact)).div(logRange).mul(span).to_type(ScalarType.Int64).add(exact);
        large = torch.minimum(large, torch.full_like(large, last));
        return (buckets + torch.where(isSmall, relative, large)).MoveToOuterDisposeScope();
    }

    // [B,S,H·d_kv] → [B,H,S,d_kv]
    private Tensor SplitHeads(Tensor x)
    {
        using (x)
            return x.view(x.shape[0], x.shape[1], _heads, _dKv).transpose(1, 2);
    }
}
