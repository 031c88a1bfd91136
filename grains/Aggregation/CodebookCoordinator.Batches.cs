using System.Diagnostics;
using System.Runtime.InteropServices;
using Accept.GrainInterfaces.Codebooks;
using Accept.Training.Config;
using Accept.Training.MultiTask;

namespace Accept.Grains.Aggregation;

/// <summary>
/// Hierarchical aggregation: a silo's summed gradients (<see cref="GradientBatch"/>) taken as if each member
/// had pushed its own. Every member passes the checks a push passes (membership, epoch, base version,
/// de-duplication, the open round); the sum's tensors are checked once. When any member would be answered
/// differently from the rest (refused, duplicate, late joiner, a retry of a push made alone), the group takes
/// none of the batch and answers <see cref="BatchPushResult.Unbatched"/>: each member then pushes on its own
/// and gets exactly the answer a flat push gets. A batch offered again (its members all waiting in the open
/// round) waits on the same round. Async: a batch is one update with the members' mean gradient; each member's
/// staleness is checked on its own (all share the batch's base version).
/// </summary>
public sealed partial class CodebookCoordinator
{
    public Task<BatchPushResult> OfferBatch(GradientBatch batch)
    {
        var members = batch.Members;
        if (members.Count == 0)
        {
            return Task.FromResult(BatchPushResult.Unbatched);
        }
        var earlier = members.Select(Retried).ToList();
        if (earlier.All(e => e is not null))
        {
            return Collect(earlier!);
        }
        if (earlier.Any(e => e is not null) || !Admissible(LateAsCurrent(batch)))
        {
            return Task.FromResult(BatchPushResult.Unbatched);
        }
        var contributors = members.Where(m => !m.Skipped).Select(m => m.TaskId).ToList();
        if (_rules.Mode == AggregationMode.Async)
        {
            return Task.FromResult(ApplyAsyncBatch(batch, contributors));
        }
        _round ??= StartRound();
        foreach (var member in members)
        {
            _late.Remove(member.TaskId);
        }
        foreach (var member in members.Where(m => m.Skipped))
        {
            _round.SubmitSkipped(member.TaskId);
        }
        if (contributors.Count > 0)
        {
            _round.SubmitSum(contributors, Sums(batch));
        }
        var answers = new List<Task<PushResult>>(members.Count);
        foreach (var member in members)
        {
            answers.Add(_waiting.Wait(new PendingPush(member, Duplicate: false)));
        }
        CloseRoundIfComplete();
        return Collect(answers);
    }

    private bool Admissible(GradientBatch batch)
    {
        if (Closed)
        {
            return false;
        }
        var view = View();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in batch.Members)
        {
            if (!seen.Add(member.TaskId) || !SameVersionRule(member, batch) || member.Gradients.Count > 0
                || _membership.Refusal(member, Version) is not null
                || _membership.DuplicateOf(member.TaskId, member.Step) is not null
                || GradientPushValidator.Check(member with { Skipped = true }, view) is not null
                || (_round is not null && !_round.Pending.Contains(member.TaskId)))
            {
                return false;
            }
        }
        var first = batch.Members.FirstOrDefault(m => !m.Skipped);
        return first is null
            ? batch.Sum.Count == 0 && batch.Parts is null
            : GradientPushValidator.CheckSum(SumPush(batch), view) is null && PartsFit(batch);
    }

    /// <summary>A sync batch is one round's: every member computed against its base version. An async batch may mix
    /// versions no older than its own (the oldest); each member's staleness is checked on its own.</summary>
    private bool SameVersionRule(GradientPush member, GradientBatch batch) => _rules.Mode == AggregationMode.Async
        ? member.BaseVersion >= batch.BaseVersion
        : member.BaseVersion == batch.BaseVersion;

    private BatchPushResult ApplyAsyncBatch(GradientBatch batch, List<string> contributors)
    {
        var before = Version;
        if (contributors.Count > 0)
        {
            var watch = Stopwatch.StartNew();
            var mean = Sums(batch).ToDictionary(s => s.Key, s => s.Value.Mean(contributors.Count, batch.Sum[s.Key].Shape));
            try
            {
                _group.Apply(mean);
            }
            finally
            {
                foreach (var tensor in mean.Values)
                {
                    tensor.Dispose();
                }
            }
            _ledger.Aggregated(watch.Elapsed);
            AppliedGradients += contributors.Count;
            Rounds++;
            AfterUpdate();
            _saveDue |= _rules.CheckpointEvery > 0 && AppliedGradients % _rules.CheckpointEvery < contributors.Count;
        }
        foreach (var member in batch.Members.Where(m => !m.Skipped))
        {
            _membership.Applied(member.TaskId, member.Step);
        }
        var snapshot = Snapshot(batch.BaseVersion);
        var results = batch.Members.Select(m => Answer(m, new PushResult(true, Version, PushRejectCode.None, null, snapshot), before - m.BaseVersion) with { Snapshot = null }).ToList();
        return new BatchPushResult(results, snapshot, MixedVersions: true);
    }

    /// <summary>The batch's exact sums (heads and parts; checked by <see cref="PartsFit"/>).</summary>
    private static Dictionary<string, ExactSum> Sums(GradientBatch batch) => batch.Sum.ToDictionary(s => s.Key, s =>
    {
        var heads = MemoryMarshal.Cast<byte, double>(s.Value.Data);
        var exact = new ExactSum(heads.Length);
        exact.Add(heads);
        if (batch.Parts?.GetValueOrDefault(s.Key) is { } parts)
        {
            exact.AddParts(parts.Indices, parts.Values);
        }
        return exact;
    });

    /// <summary>Every part names a summed codebook and one of its elements, and is finite.</summary>
    private static bool PartsFit(GradientBatch batch) =>
        batch.Parts is null || batch.Parts.All(p =>
            batch.Sum.TryGetValue(p.Key, out var sum) && p.Value.Indices is { } indices && p.Value.Values is { } values
            && indices.Length == values.Length
            && indices.All(i => i >= 0 && i < sum.Data.Length / sizeof(double))
            && values.All(double.IsFinite));

    private static GradientPush SumPush(GradientBatch batch) =>
        new(batch.Members.First(m => !m.Skipped).TaskId, batch.BaseVersion, 0, batch.Sum);

    private static async Task<BatchPushResult> Collect(IReadOnlyList<Task<PushResult>> answers)
    {
        var results = await Task.WhenAll(answers);
        var snapshot = results.FirstOrDefault(r => r.Snapshot is not null)?.Snapshot;
        return new BatchPushResult(results.Select(r => r.Snapshot is null ? r : r with { Snapshot = null }).ToList(), snapshot);
    }
}
