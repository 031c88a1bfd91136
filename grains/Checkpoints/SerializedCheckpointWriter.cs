using Accept.Training.Checkpointing.Store;
using Microsoft.Extensions.Logging;

namespace Accept.Grains.Checkpoints;

/// <summary>
/// Chains a grain's checkpoint writes so they reach the store in the order they were captured: a newer write
/// waits for the one before it, and an earlier failure is logged rather than thrown, because the newer write
/// carries newer state and supersedes it. A write that fails on a store outage is logged and reported in
/// <see cref="Behind"/> (<see cref="CheckpointSave"/>); the next write carries the whole state again.
/// </summary>
public sealed class SerializedCheckpointWriter(ICheckpointStore store, ILogger logger)
{
    /// <summary>The newest write; awaiting it waits for every earlier one.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Why the newest write did not reach the store (an outage), or null when it did.</summary>
    public string? Behind { get; private set; }

    /// <summary>Queues <paramref name="content"/> (already captured) after any earlier write; the task completes when it is stored.</summary>
    public Task Save(CheckpointScope scope, CheckpointContent content) => Save(scope, () => content);

    /// <summary>
    /// Queues a write whose content <paramref name="capture"/> takes once every earlier write is done, so it holds the
    /// state as it is then (a caller can coalesce the changes made meanwhile into it); completes when it is stored.
    /// </summary>
    public Task Save(CheckpointScope scope, Func<CheckpointContent> capture)
    {
        Completion = SaveAfter(Completion, scope, capture);
        return Completion;
    }

    private async Task SaveAfter(Task previous, CheckpointScope scope, Func<CheckpointContent> capture)
    {
        try
        {
            await previous;
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Checkpoint scope {Scope}: an earlier write failed; this one supersedes it", scope);
        }
        Behind = await CheckpointSave.TryAsync(store, scope, capture(), logger);
    }
}
