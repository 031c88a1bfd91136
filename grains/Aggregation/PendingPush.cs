using Accept.GrainInterfaces.Codebooks;

namespace Accept.Grains.Aggregation;

/// <summary>A sync-mode push waiting for its round to close. <see cref="Duplicate"/>: it reported for the round but its step was already applied before a restart.</summary>
internal sealed record PendingPush(GradientPush Push, bool Duplicate)
{
    public TaskCompletionSource<PushResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
