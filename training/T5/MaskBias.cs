using TorchSharp;
using static TorchSharp.torch;

namespace Accept.Training.T5;

/// <summary>Masks as additive attention biases: 0 where attended, the dtype's lowest value where not (as HF).</summary>
internal static class MaskBias
{
    /// <summary>[B,S] padding mask → [B,1,1,S].</summary>
    public static Tensor FromPadding(Tensor mask, ScalarType dtype)
    {
        using var scope = torch.NewDisposeScope();
        // Explicit Scalars, held until the call returns (see T5RelativePositionBias.Bucket).
        using var zero = 0.ToScalar();
        using var lowest = Lowest(dtype).ToScalar();
        var blocked = mask.eq(zero).unsqueeze(1).unsqueeze(1);
        return torch.zeros(blocked.shape, dtype, mask.device).masked_fill_(blocked, lowest).MoveToOuterDisposeScope();
    }

    /// <summary>Causal mask [1,1,T,K] for queries at offset..offset+T-1 over keys 0..K-1.</summary>
    public static Tensor Causal(long queryLength, long keyLength, long offset, ScalarType dtype, Device device)
    {
        using var scope = torch.NewDisposeScope();
        using var queryStart = offset.ToScalar();
        using var queryEnd = (offset + queryLength).ToScalar();
        using var keyStart = 0L.ToScalar();
        using var keyEnd = keyLength.ToScalar();
        using var lowest = Lowest(dtype).ToScalar();
        var query = torch.arange(queryStart, queryEnd, dtype: ScalarType.Int64, device: device).unsqueeze(1);
        var key = torch.arange(keyStart, keyEnd, dtype: ScalarType.Int64, device: device).unsqueeze(0);
        var blocked = key.gt(query).unsqueeze(0).unsqueeze(0);
        return torch.zeros(blocked.shape, dtype, device).masked_fill_(blocked, lowest).MoveToOuterDisposeScope();
    }

    private static double Lowest(ScalarType dtype) => dtype switch
    {
        ScalarType.Float16 => -65504.0,
        ScalarType.BFloat16 => -3.3895313892515355e38,
        ScalarType.Float64 => double.MinValue,
        _ => float.MinValue,
    };
}
