using TorchSharp;
using static TorchSharp.torch;

namespace Accept.Training.T5;

/// <summary>
/// Key/value cache for greedy decoding: per decoder layer, the self-attention keys/values so far
/// (grown each step) and the encoder keys/values (projected once). Owns its tensors.
/// </summary>
public sealed class T5DecoderCache : IDisposable
{
    private readonly Tensor?[] _selfKeys;
    private readonly Tensor?[] _selfValues;
    private readonly Tensor?[] _crossKeys;
    private readonly Tensor?[] _crossValues;

    public T5DecoderCache(int layers)
    {
        _selfKeys = new Tensor?[layers];
        _selfValues = new Tensor?[layers];
        _crossKeys = new Tensor?[layers];
        _crossValues = new Tensor?[layers];
    }

    /// <summary>Decoder positions already cached.</summary>
    public long Length => _selfKeys[0]?.shape[2] ?? 0;

    /// <summary>Appends [B,H,T,d_kv] keys/values; returns the full ones (owned by the cache).</summary>
    public (Tensor Keys, Tensor Values) AppendSelf(int layer, Tensor keys, Tensor values)
    {
        _selfKeys[layer] = Grow(_selfKeys[layer], keys);
        _selfValues[layer] = Grow(_selfValues[layer], values);
        return (_selfKeys[layer]!, _selfValues[layer]!);
    }

    public (Tensor Keys, Tensor Values) CrossFor(int layer, Func<(Tensor Keys, Tensor Values)> project)
    {
        if (_crossKeys[layer] is null)
        {
            var (keys, values) = project();
            _crossKeys[layer] = keys.DetachFromDisposeScope();
            _crossValues[layer] = values.DetachFromDisposeScope();
        }
        return (_crossKeys[layer]!, _crossValues[layer]!);
    }

    public void Dispose()
    {
        foreach (var t in _selfKeys.Concat(_selfValues).Concat(_crossKeys).Concat(_crossValues))
            t?.Dispose();
    }

    private static Tensor Grow(Tensor? cached, Tensor next)
    {
        if (cached is null)
            return next.alias().DetachFromDisposeScope();
        var grown = torch.cat([cached, next], 2).DetachFromDisposeScope();
        cached.Dispose();
        return grown;
    }
}
