using Accept.Training.Checkpointing.Store;
using Microsoft.Extensions.Logging;

namespace Accept.Grains.Checkpoints;

/// <summary>
/// A grain's checkpoint save that a store outage cannot fail: the store retries transient errors for a while
/// (<see cref="TransientStoreErrors"/>); a save that still fails is logged as one line and reported, the grain
/// keeps its state in memory and saves it again at its next checkpoint. Other errors are thrown.
/// </summary>
public static class CheckpointSave
{
    /// <summary>Null once <paramref name="content"/> is stored; otherwise the one-line reason it is not (yet).</summary>
    public static async Task<string?> TryAsync(ICheckpointStore store, CheckpointScope scope, CheckpointContent content, ILogger logger)
    {
        try
        {
            await store.SaveAsync(scope, content);
            return null;
        }
        catch (Exception e) when (TransientStoreErrors.IsTransient(e))
        {
            var reason = TransientStoreErrors.Describe(e);
            logger.LogWarning("Checkpoint {Scope} not saved, the store is unavailable ({Reason}); the state is kept and saved again at the next checkpoint",
                scope, reason);
            return reason;
        }
    }
}
