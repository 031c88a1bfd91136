using System.Diagnostics;
using Accept.GrainInterfaces.Codebooks;
using Accept.GrainInterfaces.Tensors;
using Accept.Grains.Telemetry;
using Accept.Grains.Tensors;
using Accept.Training.Config;
using Accept.Training.MultiTask;
using Accept.Training.Prompts;
using static TorchSharp.torch;

namespace Accept.Grains.Aggregation;

/// <summary>
/// The protocol of one codebook group, without Orleans: membership, the sync round (through
/// <see cref="SyncRound"/>, the aggregation the in-process trainer uses), late joiners, round timeouts,
/// de-duplication of steps already applied, the activation epoch of each member, and the counters. Every
/// method is synchronous; the owner (the codebook grain) calls them one at a time and checkpoints when
/// <see cref="TakeSaveDue"/> says so.
/// <para>
/// Sync: the round for version v closes when every member has reported (gradient, skipped step or
/// duplicate); every waiting push then completes. A member still pending when <see cref="TimeOut"/> is
/// called for the round is dropped (its late push is rejected as too stale; it rejoins and takes part again).
/// Async: a push applies on arrival unless its base version is more than MaxStaleness behind. A push
/// offered again with the same task, epoch, step and base version (a retry, or a wait on a round still
/// open) gets the first one's answer, never a second count.
/// </para>
/// </summary>
public sealed partial class CodebookCoordinator : IDisposable
{
    private readonly CodebookGroup _group;
    private readonly CodebookRules _rules;
    private readonly RoundTimers _timers;
    private readonly PushLedger _ledger;
    private readonly GroupMembership _membership;
    private readonly RoundWaiters _waiting = new();
    private IReadOnlyDictionary<string, TensorPayload> _payloads = new Dictionary<string, TensorPayload>();
    private SyncRound? _round;
    private bool _saveDue;

    /// <param name="startRoundTimer">Called with a round's number when it opens; the owner calls <see cref="TimeOut"/> with it when the round timeout passes. The handle is disposed when the round closes.</param>
    /// <param name="startDeadlineTimer">Sync rounds with a deadline: called with a round's number when it opens; the owner calls <see cref="Deadline"/> with it when the deadline passes.</param>
    public CodebookCoordinator(CodebookGroup group, CodebookRules rules, CodebookCoordinatorState state, Func<long, IDisposable> startRoundTimer,
        AcceptMetrics? metrics = null, string job = "", Func<long, IDisposable>? startDeadlineTimer = null)
    {
        _group = group;
        _rules = rules;
        _timers = new RoundTimers(startRoundTimer, rules.RoundDeadline is null ? null : startDeadlineTimer);
        _ledger = new PushLedger(metrics, job, group.Name);
        _membership = new GroupMembership(state.Members, state.LastSteps);
        AppliedGradients = state.AppliedGradients;
        Rounds = state.Rounds;
        Closed = state.Closed;
        AfterUpdate();
    }

    public long Version => _group.Version;

    public bool Closed { get; private set; }

    /// <summary>Task gradients taken into an update (each task step once, across restarts).</summary>
    public long AppliedGradients { get; private set; }

    /// <summary>Sync rounds closed (async: gradients applied).</summary>
    public long Rounds { get; private set; }

    public IReadOnlyCollection<string> Members => _membership.Members;

    /// <summary>Adds (or takes back) a task under a new activation <paramref name="epoch"/>: pushes from its older epochs are refused from now on.</summary>
    public CodebookSnapshot Join(string task, Guid epoch = default)
    {
        _membership.Join(task, epoch);
        return new CodebookSnapshot(Version, _payloads);
    }

    /// <summary>Removes a task; an open round no longer waits for it (and may close).</summary>
    public void Leave(string task)
    {
        _membership.Leave(task);
        if (_round is not null)
        {
            _round.Leave(task);
            CloseRoundIfComplete();
        }
    }

    public CodebookSnapshot Snapshot(long sinceVersion) => new(Version, sinceVersion == Version ? null : _payloads);

    /// <summary>The push's answer: completed at once (async, rejections, retries answered before) or when its sync round closes.</summary>
    public Task<PushResult> Offer(GradientPush push)
    {
        if (Retried(push) is { } earlier)
        {
            return earlier;
        }
        var rejection = Precheck(LateAsCurrent(push));
        if (rejection is not null)
        {
            return Task.FromResult(Answer(push, rejection));
        }
        var duplicateOf = _membership.DuplicateOf(push.TaskId, push.Step);
        if (_rules.Mode == AggregationMode.Async)
        {
            return Task.FromResult(duplicateOf is { } last
                ? Answer(push, new PushResult(false, Version, PushRejectCode.Duplicate, DuplicateReason(push, last)))
                : ApplyAsync(push));
        }
        _round ??= StartRound();
        var duplicate = duplicateOf is not null;
        var pending = new PendingPush(push, duplicate);
        if (!_round.Pending.Contains(push.TaskId))
        {
            // Joined after this round started: it waits for the round to close and takes part from the next one.
            return _waiting.WaitLate(pending);
        }
        _late.Remove(push.TaskId);
        if (duplicate || push.Skipped)
        {
            _round.SubmitSkipped(push.TaskId);
        }
        else
        {
            using var gradients = new GradientTensors(push);
            _round.Submit(push.TaskId, gradients.Tensors);
        }
        var answer = _waiting.Wait(pending);
        CloseRoundIfComplete();
        return answer;
    }

    /// <summary>Round <paramref name="round"/>'s timeout passed: members that have not reported are dropped until they rejoin.</summary>
    /// <returns>The tasks dropped (none when that round already closed).</returns>
    public IReadOnlyList<string> TimeOut(long round)
    {
        if (_round is null || _round.IsComplete || round != Rounds)
        {
            return [];
        }
        var late = _round.Pending.ToList();
        foreach (var task in late)
        {
            _membership.Drop(task);
            _round.Leave(task);
        }
        CloseRoundIfComplete();
        return late;
    }

    /// <summary>Marks the group finished: waiting and later pushes are answered <see cref="PushRejectCode.Closed"/>.</summary>
    public void Close()
    {
        if (Closed)
        {
            return;
        }
        Closed = true;
        Abandon(PushRejectCode.Closed, $"Codebook group '{_group.Name}' was closed: the job has ended.");
        _saveDue = true;
    }

    /// <summary>Answers every waiting push with <paramref name="code"/> and drops the open round (the owner deactivates or closes).</summary>
    public void Abandon(PushRejectCode code, string reason)
    {
        _waiting.AnswerAll(_ => new PushResult(false, Version, code, reason));
        _timers.Stop();
        _round?.Dispose();
        _round = null;
    }

    /// <summary>True once after a change that the owner's checkpoint interval (or closing) asks to save.</summary>
    public bool TakeSaveDue()
    {
        var due = _saveDue;
        _saveDue = false;
        return due;
    }

    public CodebookCoordinatorState State() => new([.. _membership.Members], new Dictionary<string, long>(_membership.LastSteps), AppliedGradients, Rounds, Closed);

    /// <summary>Sync rounds: every closed round is saved before its answers go out (versions stay monotonic across failover).</summary>
    public bool SavesEveryRound => _rules.Mode == AggregationMode.Sync;

    public CodebookStatus Status() => new(_group.Name, Version, _rules.Mode.ToString().ToLowerInvariant(), [.. _membership.Members], _waiting.Count, _ledger.Accepted, _ledger.Rejected, Closed,
        AppliedGradients, Rounds, new Dictionary<string, long>(_membership.LastSteps));

    public void Dispose() => Abandon(PushRejectCode.TooStale, $"Codebook group '{_group.Name}' deactivated; pull the snapshot and push again.");

    private Task<PushResult>? Retried(GradientPush push) =>
        _waiting.Retried(push) ?? (_ledger.AnswerOf(push) is { } answered ? Task.FromResult(answered) : null);

    private PushResult? Precheck(GradientPush push)
    {
        if (!Closed && _membership.Refusal(push, Version) is { } refusal)
        {
            return refusal;
        }
        return GradientPushValidator.Check(push, View());
    }

    /// <summary>What the push checks read of the group.</summary>
    private CodebookGroupView View() => new(Version, _rules.Mode, _rules.MaxStaleness, Closed, _payloads, _membership.Members, _waiting.Tasks);

    private PushResult ApplyAsync(GradientPush push)
    {
        var staleness = Version - push.BaseVersion;
        if (!push.Skipped)
        {
            var watch = Stopwatch.StartNew();
            using (var gradients = new GradientTensors(push))
            {
                _group.Apply(gradients.Tensors);
            }
            _ledger.Aggregated(watch.Elapsed);
            AppliedGradients++;
            _membership.Applied(push.TaskId, push.Step);
            Rounds++;
            AfterUpdate();
            _saveDue |= _rules.CheckpointEvery > 0 && AppliedGradients % _rules.CheckpointEvery == 0;
        }
        return Answer(push, new PushResult(true, Version, PushRejectCode.None, null, SnapshotAfter(push)), staleness);
    }

    private SyncRound StartRound()
    {
        var round = new SyncRound(_group, _membership.Members);
        _timers.Start(Rounds);
        return round;
    }

    private void CloseRoundIfComplete()
    {
        var round = _round;
        if (round is null || !round.IsComplete)
        {
            return;
        }
        _round = null;
        _timers.Stop();
        var watch = Stopwatch.StartNew();
        SyncRoundResult result;
        try
        {
            result = round.Close();
        }
        finally
        {
            round.Dispose();
        }
        _ledger.Aggregated(watch.Elapsed);
        Rounds++;
        var (waitingByTask, late) = _waiting.TakeAll();
        foreach (var contributor in result.Contributors)
        {
            _membership.Applied(contributor, waitingByTask[contributor].Push.Step);
        }
        AppliedGradients += result.Contributors.Count;
        if (result.Applied)
        {
            AfterUpdate();
        }
        _saveDue |= _rules.CheckpointEvery > 0 && Rounds % _rules.CheckpointEvery == 0;
        foreach (var pending in waitingByTask.Values)
        {
            var outcome = pending.Duplicate
                ? new PushResult(false, result.Version, PushRejectCode.Duplicate, DuplicateReason(pending.Push, _membership.LastSteps.GetValueOrDefault(pending.Push.TaskId)), SnapshotAfter(pending.Push))
                : new PushResult(true, result.Version, PushRejectCode.None, null, SnapshotAfter(pending.Push));
            pending.Completion.TrySetResult(Answer(pending.Push, outcome));
        }
        foreach (var pending in late)
        {
            pending.Completion.TrySetResult(Answer(pending.Push, new PushResult(false, result.Version, PushRejectCode.TooStale,
                $"Task '{pending.Push.TaskId}' joined while round {result.BaseVersion} was open; it takes part from the next round.")));
        }
    }

    /// <summary>What GetSnapshot(push.BaseVersion) would answer now: the task's next pull, saved a call.</summary>
    private CodebookSnapshot SnapshotAfter(GradientPush push) => Snapshot(push.BaseVersion);

    private void AfterUpdate()
    {
        _payloads = _group.Codebooks.ToDictionary(c => c.Key, c => TensorPayloadConverter.ToPayload(c.Value));
        _ledger.Versioned(Version);
    }

    private PushResult Answer(GradientPush push, PushResult result, long? staleness = null) =>
        _ledger.Record(push, result, staleness ?? Version - push.BaseVersion);

    private static string DuplicateReason(GradientPush push, long last) =>
        $"Step {push.Step} of '{push.TaskId}' was already applied (last applied step {last}); it is not counted again.";
}
