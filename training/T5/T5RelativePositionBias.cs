using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Accept.Training.T5;

/// <summary>
/// `relative_attention_bias`: a learned bias per head and relative-position bucket. Only the first layer of
/// each stack has one; the stack computes the bias once per forward and every layer adds the same tensor.
/// </summary>
public sealed class T5RelativePositionBias : nn.Module<long, long, long, Tensor>
{
    private readonly bool _bidirectional;
    private readonly int _buckets;
    private readonly int _maxDistance;

    // HF's parameter name: [buckets, H].
    private readonly Parameter weight;

    public T5RelativePositionBias(T5Config config, bool bidirectional) : base(nameof(T5RelativePositionBias))
    {
        _bidirectional = bidirectional;
        _buckets = config.RelativeAttentionNumBuckets;
        _maxDistance = config.RelativeAttentionMaxDistance;
        weight = new Parameter(torch.empty(config.RelativeAttentionNumBuckets, config.NumHeads), requires_grad: false);
        RegisterComponents();
    }

    /// <summary>Relative position bias [1,H,T,K] for queries at positions offset..offset+T-1 and keys 0..K-1.</summary>
    public override Tensor forward(long queryLength, long keyLength, long queryOffset)
    {
        using var scope = torch.NewDisposeScope();
        var device = weight.device;
        using var contextStart = queryOffset.ToScalar();
        using var contextEnd = (queryOffset + queryLength).ToScalar();
        using var memoryStart = 0L.ToScalar();
        using var memoryEnd = keyLength.ToScalar();
        var context = torch.arange(contextStart, contextEnd, dtype: ScalarType.Int64, device: device).unsqueeze(1);
        var memory = torch.arange(memoryStart, memoryEnd, dtype: ScalarType.Int64, device: device).unsqueeze(0);
        var buckets = Bucket(memory - context, _bidirectional, _buckets, _maxDistance); // [T,K]
        // The embedding lookup: rows of weight by bucket, [T·K,H] → [1,H,T,K].
        return weight.index_select(0, buckets.flatten()).view(queryLength, keyLength, -1)
            .permute(2, 0, 1).unsqueeze(0).MoveToOuterDisposeScope();
    }

    /// <summary>HF's `_relative_position_bucket`, op for op, so that boundary cases round the same way.</summary>
    internal static Tensor Bucket(Tensor relative, bool bidirectional, int numBuckets, int maxDistance)
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
}
