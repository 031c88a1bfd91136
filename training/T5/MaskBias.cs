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
        var blocked = mask.eq(0).unsqueeze(1).unsqueeze(1);
        return torch.zeros(blocked.shape, dtype, mask.device).masked_fill_(blocked, Lowest(dtype)).MoveToOuterDisposeScope();
    }

    /// <summary>Causal mask [1,1,T,K] for queries at offset..offset+T-1 over keys 0..K-1.</summary>
    public static Tensor Causal(long queryLength, long keyLength, long offset, ScalarType dtype, Device device)
    {
        using var scope = torch.NewDisposeScope();
        var query = torch.arange(offset, offset + queryLength, dtype: ScalarType.Int64, device: device).unsqueeze(1);
        var key = torch.arange(0, keyLength, dtype: ScalarType.Int64, device: device).unsqueeze(0);
        var blocked = key.gt(query).unsqueeze(0).unsqueeze(0);
        return torch.zeros(blocked.shape, dtype, device).masked_fill_(blocked, Lowest(dtype)).MoveToOuterDisposeScope();
    }

    private static double Lowest(ScalarType dtype) => dtype switch
    {
        ScalarType.Float16 => -65504.0,
        ScalarType.BFloat16 => -3.3895313892515355e38,
        ScalarType.Float64 => double.MinValue,
        _ => float.MinValue,
    };
}
