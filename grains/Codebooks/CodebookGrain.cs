using System.Diagnostics;
using System.Text.Json;
using Accept.GrainInterfaces;
using Accept.GrainInterfaces.Codebooks;
using Accept.GrainInterfaces.Tensors;
using Accept.Grains.Aggregation;
using Accept.Grains.Checkpoints;
using Accept.Training.Checkpointing.Store;
using Accept.Grains.Placement;
using Accept.Grains.Telemetry;
using Accept.Grains.Tensors;
using Accept.Training.Checkpointing;
using Accept.Training.Config;
using Accept.Training.MultiTask;
using Accept.Training.Prompts;
using Accept.Training.T5;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using static TorchSharp.torch;
using ContractAggregationMode = Accept.GrainInterfaces.Codebooks.AggregationMode;

namespace Accept.Grains.Codebooks;

/// <summary>
/// Owns one codebook group. Reentrant: a sync push waits (awaiting its round's completion) while the other
/// members' pushes, joins and status calls run; every state change happens in a synchronous stretch
/// between awaits, so the grain's single-threaded turns keep it consistent.
/// <para>
/// Sync: the round for version v closes when every member has reported (gradient, skipped step or
/// duplicate), through <see cref="SyncRound"/>, the same aggregation the in-process trainer uses; every
/// waiting push then completes. A member that has not pushed within RoundTimeout of the round's first
/// push is dropped (its late push is rejected as too stale; it rejoins). Async: a push applies on arrival
/// unless its base version is more than MaxStaleness behind. Either way, a push whose step the group has
/// already taken (a task restored from an older checkpoint repeating steps) is never applied twice.
/// </para>
/// </summary>
[Reentrant]
[PreferCoordinatorPlacement]
public sealed class CodebookGrain(ICheckpointStore store, AcceptMetrics metrics, ILogger<CodebookGrain> logger) : Grain, ICodebookGrain
{
    private const string GroupPart = CheckpointParts.Codebook;
    private const string StatePart = "state";

    private readonly SortedSet<string> _members = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dropped = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastSteps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PendingPush> _waiting = new(StringComparer.Ordinal);
    private readonly List<PendingPush> _lateJoiners = [];
    private CodebookGroupSpec? _spec;
    private CodebookGroup? _group;
    private SyncRound? _round;
    private IGrainTimer? _roundTimer;
    private IReadOnlyDictionary<string, TensorPayload> _payloads = new Dictionary<string, TensorPayload>();
    private Task? _initializing;
    private readonly SerializedCheckpointWriter _writer = new(store, logger);
    private bool _closed;
    private long _accepted;
    private long _rejected;
    private long _appliedGradients;
    private long _rounds;

    private string JobId => GrainKeys.Split(this.GetPrimaryKeyString()).JobId;

    private string GroupName => GrainKeys.Split(this.GetPrimaryKeyString()).Name;

    private CheckpointScope Scope => new(JobId, CheckpointOwners.Codebook(GroupName));

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A group that checkpointed before (this activation follows a restart) comes back on its own.
        if (CheckpointIdentifier.IsValid(JobId))
        {
            _initializing = RestoreAsync(cancellationToken);
            await _initializing;
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        FailWaiting(PushRejectCode.TooStale, $"Codebook group '{GroupName}' deactivated ({reason.Description}); pull the snapshot and push again.");
        _round?.Dispose();
        _group?.Dispose();
        return _writer.Completion;
    }

    public async Task<CodebookStatus> Initialize(CodebookGroupSpec spec)
    {
        if (spec.JobId != JobId || spec.Group != GroupName)
        {
            throw new ArgumentException($"Codebook grain '{this.GetPrimaryKeyString()}' got the spec of '{spec.JobId}/{spec.Group}'.");
        }
        if (_initializing is not null)
        {
            await _initializing;
        }
        if (_group is null)
        {
            _initializing = CreateAsync(spec);
            await _initializing;
        }
        return Status();
    }

    public Task<CodebookSnapshot> Join(string taskId)
    {
        RequireGroup();
        _members.Add(taskId);
        _dropped.Remove(taskId);
        return Task.FromResult(new CodebookSnapshot(_group!.Version, _payloads));
    }

    public Task Leave(string taskId)
    {
        RequireGroup();
        _members.Remove(taskId);
        if (_round is not null)
        {
            _round.Leave(taskId);
            return CloseRoundIfCompleteAsync();
        }
        return Task.CompletedTask;
    }

    public Task<CodebookSnapshot> GetSnapshot(long sinceVersion)
    {
        RequireGroup();
        var version = _group!.Version;
        return Task.FromResult(new CodebookSnapshot(version, sinceVersion == version ? null : _payloads));
    }

    public async Task<PushResult> PushGradient(GradientPush push)
    {
        RequireGroup();
        var group = _group!;
        var rejection = Precheck(push);
        if (rejection is not null)
        {
            return Rejected(push, rejection);
        }
        var duplicate = _lastSteps.TryGetValue(push.TaskId, out var last) && push.Step <= last;
        if (_spec!.Mode == ContractAggregationMode.Async)
        {
            return duplicate
                ? Rejected(push, new PushResult(false, group.Version, PushRejectCode.Duplicate, DuplicateReason(push, last)))
                : await ApplyAsyncPush(push);
        }

        _round ??= StartRound();
        var pending = new PendingPush(push, duplicate);
        if (!_round.Pending.Contains(push.TaskId))
        {
            // Joined after this round started: it waits for the round to close and takes part from the next one.
            _lateJoiners.Add(pending);
            return await pending.Completion.Task;
        }
        if (duplicate || push.Skipped)
        {
            _round.SubmitSkipped(push.TaskId);
        }
        else
        {
            // No dispose scope here: the round keeps clones, which a scope would dispose under it.
            var gradients = ToTensors(push);
            try
            {
                _round.Submit(push.TaskId, gradients);
            }
            finally
            {
                DisposeAll(gradients);
            }
        }
        _waiting[push.TaskId] = pending;
        await CloseRoundIfCompleteAsync();
        return await pending.Completion.Task;
    }

    public async Task Close()
    {
        RequireGroup();
        if (_closed)
        {
            // Idempotent, and like the first call it returns once the closed state is durable.
            await _writer.Completion;
            return;
        }
        _closed = true;
        FailWaiting(PushRejectCode.Closed, $"Codebook group '{GroupName}' was closed: the job has ended.");
        _round?.Dispose();
        _round = null;
        await SaveAsync();
    }

    public Task<CodebookStatus> GetStatus()
    {
        RequireGroup();
        return Task.FromResult(Status());
    }

    private PushResult? Precheck(GradientPush push)
    {
        var group = _group!;
        if (_dropped.Contains(push.TaskId) && !_closed)
        {
            return new PushResult(false, group.Version, PushRejectCode.TooStale,
                $"Task '{push.TaskId}' was dropped from a round after {_spec!.RoundTimeout.TotalSeconds:0.#} s without a push; join again and pull the snapshot.");
        }
        var view = new CodebookGroupView(group.Version, _spec!.Mode, _spec.MaxStaleness, _closed, _payloads, _members,
            _waiting.Keys.ToHashSet(StringComparer.Ordinal));
        return GradientPushValidator.Check(push, view);
    }

    private async Task<PushResult> ApplyAsyncPush(GradientPush push)
    {
        var group = _group!;
        var staleness = group.Version - push.BaseVersion;
        if (!push.Skipped)
        {
            var watch = Stopwatch.StartNew();
            var gradients = ToTensors(push);
            try
            {
                group.Apply(gradients);
            }
            finally
            {
                DisposeAll(gradients);
            }
            metrics.RecordAggregation(JobId, GroupName, watch.Elapsed);
            _appliedGradients++;
            _lastSteps[push.TaskId] = push.Step;
            _rounds++;
            AfterUpdate();
        }
        _accepted++;
        metrics.RecordPush(JobId, GroupName, PushRejectCode.None, staleness);
        if (_spec!.CheckpointEvery > 0 && !push.Skipped && _appliedGradients % _spec.CheckpointEvery == 0)
        {
            await SaveAsync();
        }
        return new PushResult(true, group.Version, PushRejectCode.None, null, SnapshotAfter(push));
    }

    private SyncRound StartRound()
    {
        var round = new SyncRound(_group!, _members);
        var roundVersion = _group!.Version;
        var roundNumber = _rounds;
        _roundTimer?.Dispose();
        _roundTimer = this.RegisterGrainTimer(_ => OnRoundTimeout(round, roundNumber), new GrainTimerCreationOptions
        {
            DueTime = _spec!.RoundTimeout,
            Period = Timeout.InfiniteTimeSpan,
            Interleave = true,
        });
        logger.LogDebug("Group {Group}: round {Round} at version {Version} opened for {Members}", GroupName, roundNumber, roundVersion, string.Join(", ", _members));
        return round;
    }

    private Task OnRoundTimeout(SyncRound round, long roundNumber)
    {
        if (!ReferenceEquals(round, _round) || round.IsComplete)
        {
            return Task.CompletedTask;
        }
        var late = round.Pending.ToList();
        logger.LogWarning("Group {Group}: round {Round} timed out after {Timeout}; dropping {Late} until they rejoin",
            GroupName, roundNumber, _spec!.RoundTimeout, string.Join(", ", late));
        foreach (var task in late)
        {
            _members.Remove(task);
            _dropped.Add(task);
            round.Leave(task);
        }
        return CloseRoundIfCompleteAsync();
    }

    private async Task CloseRoundIfCompleteAsync()
    {
        var round = _round;
        if (round is null || !round.IsComplete)
        {
            return;
        }
        _round = null;
        _roundTimer?.Dispose();
        _roundTimer = null;
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
        metrics.RecordAggregation(JobId, GroupName, watch.Elapsed);
        _rounds++;
        var waiting = _waiting.Values.ToList();
        _waiting.Clear();
        var late = _lateJoiners.ToList();
        _lateJoiners.Clear();
        foreach (var contributor in result.Contributors)
        {
            _lastSteps[contributor] = waiting.First(w => w.Push.TaskId == contributor).Push.Step;
        }
        _appliedGradients += result.Contributors.Count;
        if (result.Applied)
        {
            AfterUpdate();
        }
        var save = _spec!.CheckpointEvery > 0 && _rounds % _spec.CheckpointEvery == 0 ? SaveAsync() : Task.CompletedTask;
        foreach (var pending in waiting)
        {
            var outcome = pending.Duplicate
                ? new PushResult(false, result.Version, PushRejectCode.Duplicate, DuplicateReason(pending.Push, _lastSteps.GetValueOrDefault(pending.Push.TaskId)), SnapshotAfter(pending.Push))
                : new PushResult(true, result.Version, PushRejectCode.None, null, SnapshotAfter(pending.Push));
            Record(pending.Push, outcome);
            pending.Completion.TrySetResult(outcome);
        }
        foreach (var pending in late)
        {
            var outcome = new PushResult(false, result.Version, PushRejectCode.TooStale,
                $"Task '{pending.Push.TaskId}' joined while round {result.BaseVersion} was open; it takes part from the next round.");
            Record(pending.Push, outcome);
            pending.Completion.TrySetResult(outcome);
        }
        await save;
    }

    /// <summary>What GetSnapshot(push.BaseVersion) would answer now: the task's next pull, saved a call.</summary>
    private CodebookSnapshot SnapshotAfter(GradientPush push)
    {
        var version = _group!.Version;
        return new CodebookSnapshot(version, push.BaseVersion == version ? null : _payloads);
    }

    private void AfterUpdate()
    {
        _payloads = _group!.Codebooks.ToDictionary(c => c.Key, c => TensorPayloadConverter.ToPayload(c.Value));
        metrics.RecordCodebookVersion(JobId, GroupName, _group.Version);
    }

    private PushResult Rejected(GradientPush push, PushResult rejection)
    {
        Record(push, rejection);
        return rejection;
    }

    private void Record(GradientPush push, PushResult result)
    {
        if (result.Accepted)
        {
            _accepted++;
        }
        else
        {
            _rejected++;
        }
        metrics.RecordPush(JobId, GroupName, result.Code, _group!.Version - push.BaseVersion);
    }

    private static Dictionary<string, Tensor> ToTensors(GradientPush push) =>
        push.Gradients.ToDictionary(g => g.Key, g => TensorPayloadConverter.ToTensor(g.Value, g.Key));

    private static void DisposeAll(Dictionary<string, Tensor> tensors)
    {
        foreach (var tensor in tensors.Values)
        {
            tensor.Dispose();
        }
    }

    private static string DuplicateReason(GradientPush push, long last) =>
        $"Step {push.Step} of '{push.TaskId}' was already applied (last applied step {last}); it is not counted again.";

    private void FailWaiting(PushRejectCode code, string reason)
    {
        foreach (var pending in _waiting.Values.Concat(_lateJoiners))
        {
            pending.Completion.TrySetResult(new PushResult(false, _group?.Version ?? 0, code, reason));
        }
        _waiting.Clear();
        _lateJoiners.Clear();
    }

    private async Task CreateAsync(CodebookGroupSpec spec)
    {
        var run = RunSpecReader.Parse(spec.RunSpecJson, "run spec");
        _group = NewGroup(run, spec.Group);
        _spec = spec;
        if (await store.LoadLatestAsync(Scope) is { } resumed)
        {
            using var checkpoint = CodebookCheckpoint.FromBytes(resumed.Content.Parts[GroupPart], $"{Scope} {resumed.Info.ObjectName}");
            checkpoint.Restore(_group);
        }
        foreach (var task in run.CodebookGroups[spec.Group])
        {
            // Sync rounds wait for every task of the group from the first round on.
            _members.Add(task);
        }
        AfterUpdate();
        await SaveAsync();
        logger.LogInformation("Group {Group} of job {Job} created ({Mode}, members {Members})", GroupName, JobId, spec.Mode, string.Join(", ", _members));
    }

    private async Task RestoreAsync(CancellationToken cancellationToken)
    {
        var loaded = await store.LoadLatestAsync(Scope, cancellationToken);
        if (loaded is null)
        {
            return;
        }
        if (!loaded.Content.Parts.ContainsKey(StatePart))
        {
            // Written by the in-process trainer or copied for a resumed run: Initialize builds the group from the spec and restores it.
            return;
        }
        var state = JsonSerializer.Deserialize<CodebookGrainState>(loaded.Content.Parts[StatePart])
            ?? throw new InvalidDataException($"Checkpoint {Scope} holds no codebook grain state.");
        var run = RunSpecReader.Parse(state.Spec.RunSpecJson, "run spec");
        var group = NewGroup(run, state.Spec.Group);
        using (var checkpoint = CodebookCheckpoint.FromBytes(loaded.Content.Parts[GroupPart], $"{Scope} {loaded.Info.ObjectName}"))
        {
            checkpoint.Restore(group);
        }
        _group = group;
        _spec = state.Spec;
        _members.UnionWith(state.Members);
        foreach (var (task, step) in state.LastSteps)
        {
            _lastSteps[task] = step;
        }
        _appliedGradients = state.AppliedGradients;
        _rounds = state.Rounds;
        _closed = state.Closed;
        AfterUpdate();
        logger.LogInformation("Group {Group} of job {Job} restored at version {Version} from {Checkpoint}", GroupName, JobId, group.Version, loaded.Info.ObjectName);
    }

    /// <summary>
    /// The group as the in-process trainer builds it, with the layout from the backbone's config.json alone:
    /// a codebook grain must not load every task's data, and the coordinator it may run on need not see it.
    /// </summary>
    private static CodebookGroup NewGroup(RunSpec run, string groupName)
    {
        var backbone = run.Backbone ?? throw new SpecException("backbone: no backbone directory given");
        var config = T5Config.Load(Path.Combine(Path.GetFullPath(backbone), "config.json"));
        return CodebookGroups.Create(run, run.Method.ToLayout(config.DModel), groupName);
    }

    /// <summary>Captures the state now (synchronously) and chains the write after any earlier one.</summary>
    private Task SaveAsync()
    {
        byte[] tensors;
        using (var checkpoint = CodebookCheckpoint.Capture(_group!))
        {
            tensors = checkpoint.ToBytes();
        }
        var state = JsonSerializer.SerializeToUtf8Bytes(new CodebookGrainState(_spec!, _members.ToList(), new Dictionary<string, long>(_lastSteps),
            _appliedGradients, _rounds, _closed));
        var content = new CheckpointContent(
            new Dictionary<string, byte[]> { [GroupPart] = tensors, [StatePart] = state },
            new Dictionary<string, string> { ["version"] = _group!.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        return _writer.Save(Scope, content);
    }

    private void RequireGroup()
    {
        if (_group is null)
        {
            throw new InvalidOperationException($"Codebook group '{this.GetPrimaryKeyString()}' is not initialised: the job grain calls Initialize first.");
        }
    }

    private CodebookStatus Status() => new(
        GroupName,
        _group?.Version ?? 0,
        _spec?.Mode ?? ContractAggregationMode.Sync,
        _members.ToList(),
        _waiting.Count,
        _accepted,
        _rejected,
        _closed,
        _appliedGradients,
        _rounds,
        new Dictionary<string, long>(_lastSteps));
}
