using Accept.GrainInterfaces.Codebooks;
using Accept.Training.Config;

namespace Accept.Grains.Aggregation;

/// <summary>
/// Sync rounds with a deadline (<see cref="CodebookRules.RoundDeadline"/>, off by default): a round that has
/// at least one gradient when its deadline passes closes with what it has; the members still computing are
/// excused from it (not dropped, unlike a round timeout). Such a straggler's gradient, computed against the
/// version before, is then taken into the next round with staleness 1, as that round's contribution of the
/// task; a gradient older than that is rejected as too stale (the task rejoins and pulls the codebooks).
/// So every gradient counts once, none is more than one version old, and no round waits for a straggler
/// longer than the deadline.
/// </summary>
public sealed partial class CodebookCoordinator
{
    private readonly HashSet<string> _late = new(StringComparer.Ordinal);

    /// <summary>Tasks excused from the last round at its deadline whose late gradient the open or next round takes.</summary>
    public IReadOnlyCollection<string> Late => _late;

    /// <summary>Round <paramref name="round"/>'s deadline passed: it closes now if it has a gradient (its pending members become late).</summary>
    /// <returns>The tasks excused (none when the round already closed or has no gradient yet).</returns>
    public IReadOnlyList<string> Deadline(long round)
    {
        if (_round is null || _round.IsComplete || round != Rounds || _waiting.Count == 0)
        {
            return [];
        }
        var late = _round.Pending.ToList();
        foreach (var task in late)
        {
            _round.Leave(task);
            _late.Add(task);
        }
        CloseRoundIfComplete();
        return late;
    }

    /// <summary>A late member's gradient for the version before is checked as if it were for this one (staleness 1).</summary>
    private GradientPush LateAsCurrent(GradientPush push) =>
        _rules.Mode == AggregationMode.Sync && push.BaseVersion == Version - 1 && _late.Contains(push.TaskId)
            ? push with { BaseVersion = Version }
            : push;

    /// <summary>A batch of late members only (a silo's stragglers) is checked as if it were for this version, like their pushes.</summary>
    private GradientBatch LateAsCurrent(GradientBatch batch) =>
        _rules.Mode == AggregationMode.Sync && batch.BaseVersion == Version - 1 && batch.Members.All(m => _late.Contains(m.TaskId))
            ? batch with { BaseVersion = Version, Members = batch.Members.Select(m => m with { BaseVersion = Version }).ToList() }
            : batch;
}
