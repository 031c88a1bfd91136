using Accept.GrainInterfaces.Codebooks;
using Accept.Grains.Aggregation;
using Accept.Training.Prompts;

namespace Accept.Grains.Codebooks;

/// <summary>
/// When an open codebook group saves (into <see cref="CodebookGroupCheckpoints"/>): after every change the
/// checkpoint_every checkpoint when the coordinator says one is due and the round state when it changed; the round
/// state stored before an answer or a snapshot goes out; and when the last member leaves (every task finished) a
/// final checkpoint, even when checkpoint_every does not divide the steps — only when the version moved since the
/// last save, since a duplicate would push an older version out of the kept ones. Plain: the codebook grain calls it.
/// </summary>
internal sealed class CodebookGroupSaves(CodebookGroupCheckpoints checkpoints, CodebookGroup group, CodebookGroupSpec spec, CodebookCoordinator coordinator)
{
    /// <summary>A checkpoint_every checkpoint of the group as it is now (captured now, written after any earlier one).</summary>
    public Task Now() => checkpoints.Save(group, spec, coordinator);

    /// <summary>After a change: the checkpoint_every checkpoint when due, and the round state when it changed.</summary>
    public Task Changed() => Task.WhenAll(coordinator.TakeSaveDue() ? Now() : Task.CompletedTask, RoundIfChanged());

    /// <summary>The round state, when it changed since its last save (sync groups only).</summary>
    public Task RoundIfChanged() => checkpoints.SaveRoundIfChanged(group, spec, coordinator);

    /// <summary>Returns once the state as it is now (and every earlier one) is in the round scope.</summary>
    public Task StoredRound() => checkpoints.StoredRound(group, spec, coordinator);

    /// <summary>After <paramref name="task"/> left: the final checkpoint when it was the last member and the version moved, else <see cref="Changed"/>.</summary>
    /// <param name="wasMember">Whether the task was a member before it left.</param>
    public Task Left(bool wasMember)
    {
        if (wasMember && coordinator.Members.Count == 0 && group.Version != checkpoints.SavedVersion)
        {
            coordinator.TakeSaveDue();
            return Task.WhenAll(Now(), RoundIfChanged());
        }
        return Changed();
    }
}
