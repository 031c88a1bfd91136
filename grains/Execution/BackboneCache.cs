using System.Collections.Concurrent;
using Accept.Training.T5;

namespace Accept.Grains.Execution;

/// <summary>
/// One frozen T5 per backbone directory per silo, loaded on first use onto the silo's device and shared
/// by every task grain on the silo: the backbone never changes, so concurrent steps may read it at the
/// same time.
/// </summary>
public sealed class BackboneCache(SiloDevice device) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<T5Model>> _models = new(StringComparer.Ordinal);
    private int _loads;

    static BackboneCache() => TorchThreads.PreferPassiveWaiting();

    /// <summary>Backbones loaded from disk since the silo started (one per directory unless a load failed).</summary>
    public int Loads => Volatile.Read(ref _loads);

    /// <summary>Directories with a loaded backbone.</summary>
    public IReadOnlyCollection<string> Directories => _models.Where(m => m.Value.IsValueCreated).Select(m => m.Key).ToList();

    /// <summary>
    /// The backbone of <paramref name="directory"/> (normalised to a full path), loading it the first time.
    /// Blocks while loading, so call it from the step worker, never from a grain turn. A failed load is
    /// not cached: the next call tries again.
    /// </summary>
    public T5Model Get(string directory)
    {
        var key = Path.GetFullPath(directory);
        var lazy = _models.GetOrAdd(key, k => new Lazy<T5Model>(() => Load(k), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch
        {
            _models.TryRemove(new KeyValuePair<string, Lazy<T5Model>>(key, lazy));
            throw;
        }
    }

    private T5Model Load(string directory)
    {
        Interlocked.Increment(ref _loads);
        return T5Model.Load(directory, device.Device);
    }

    public void Dispose()
    {
        foreach (var model in _models.Values.Where(m => m.IsValueCreated))
        {
            model.Value.Dispose();
        }
        _models.Clear();
    }
}
