using System.Globalization;
using System.Text.Json;
using Accept.GrainInterfaces;
using Accept.GrainInterfaces.Codebooks;
using Accept.Grains.Aggregation;
using Accept.Grains.Checkpoints;
using Accept.Grains.Hosting;
using Accept.Training.Checkpointing.Store;
using Accept.Grains.Placement;
using Accept.Grains.Telemetry;
using Accept.Training.Checkpointing;
using Accept.Training.Config;
using Accept.Training.MultiTask;
using Accept.Training.Prompts;
using Accept.Training.T5;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace Accept.Grains.Codebooks;

/// <summary>
/// Owns one codebook group: an Orleans adapter over <see cref="CodebookCoordinator"/>, which holds the
/// protocol (rounds, membership, de-duplication, epochs). Reentrant, and no call waits long: a sync push
/// waits for its round at most <see cref="AcceptSiloOptions.PushWaitSeconds"/> (under a call's timeout) and then answers
/// <see cref="PushResult.Pending"/>, so status, join and close calls are never stuck behind an open round.
/// A group that checkpointed comes back from its checkpoint on whichever silo activates it next. Besides the
/// checkpoint_every checkpoints (which task checkpoints match on resume) it saves its state after every round
/// that changed it, in its round scope, and answers a push only once that state is stored: a group restored on
/// another silo is never behind a version some task already saw (versions stay monotonic across failover).
/// </summary>
[Reentrant]
[PreferCoordinatorPlacement]
public sealed class CodebookGrain(ICheckpointStore store, AcceptMetrics metrics, IOptions<AcceptSiloOptions> options, CoordinatorHome home,
    ILogger<CodebookGrain> logger)
    : Grain, ICodebookGrain
{
    private const string GroupPart = CheckpointParts.Codebook;
    private const string StatePart = "state";

    private readonly SerializedCheckpointWriter _writer = new(store, logger);
    private readonly SerializedCheckpointWriter _roundWriter = new(store, logger);
    private (long Rounds, long Applied, bool Closed, int Members) _roundSaved = (-1, -1, false, -1);
    private CodebookGroupSpec? _spec;
    private CodebookGroup? _group;
    private CodebookCoordinator? _coordinator;
    private Task? _initializing;
    private long _pushCalls;
    private long _busyTicks;
    private long _gradientBytesIn;
    private long _savedVersion = -1;

    private string JobId => GrainKeys.Split(this.GetPrimaryKeyString()).JobId;

    private string GroupName => GrainKeys.Split(this.GetPrimaryKeyString()).Name;

    private CheckpointScope Scope => new(JobId, CheckpointOwners.Codebook(GroupName));

    private CheckpointScope RoundScope => new(JobId, CheckpointOwners.CodebookRound(GroupName));

    private CodebookCoordinator Coordinator => _coordinator
        ?? throw new InvalidOperationException($"Codebook group '{this.GetPrimaryKeyString()}' is not initialised: the job grain calls Initialize first.");

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A group that checkpointed before (this activation follows a restart or a lost silo) comes back on its own.
        if (CheckpointIdentifier.IsValid(JobId))
        {
            _initializing = RestoreAsync(cancellationToken);
            await _initializing;
        }
        this.RegisterGrainTimer(GoHomeIfAway, new GrainTimerCreationOptions(TimeSpan.Zero, CoordinatorHome.CheckEvery) { Interleave = true });
    }

    /// <summary>On a worker while a coordinator is alive (it came back here when its coordinator died): moves to the coordinator.</summary>
    private Task GoHomeIfAway(CancellationToken cancellation)
    {
        if (home.AwayFromHome())
        {
            logger.LogInformation("Group {Group} of job {Job} runs on a worker while a coordinator is alive; moving there", GroupName, JobId);
            this.MigrateOnIdle();
        }
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_coordinator is not null)
        {
            // The next activation (a migration's, or after an idle deactivation) starts from exactly this state.
            _ = SaveRoundIfChanged();
        }
        _coordinator?.Dispose();
        _group?.Dispose();
        return Task.WhenAll(_writer.Completion, _roundWriter.Completion);
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
        if (_coordinator is null)
        {
            _initializing = CreateAsync(spec);
            await _initializing;
        }
        return Coordinator.Status();
    }

    public async Task<CodebookSnapshot> Join(string taskId, Guid epoch)
    {
        var snapshot = Coordinator.Join(taskId, epoch);
        await StoredRound();
        return snapshot;
    }

    public Task Leave(string taskId)
    {
        var wasMember = Coordinator.Members.Contains(taskId);
        Coordinator.Leave(taskId);
        // The last member leaving (every task finished): the group's final state is checkpointed even when
        // checkpoint_every does not divide the steps — only when the version moved since the last save, since
        // a duplicate would push an older version out of the kept ones.
        if (wasMember && Coordinator.Members.Count == 0 && _group!.Version != _savedVersion)
        {
            Coordinator.TakeSaveDue();
            return Task.WhenAll(SaveAsync(), SaveRoundIfChanged());
        }
        return SaveChanges();
    }

    public async Task<CodebookSnapshot> GetSnapshot(long sinceVersion)
    {
        // Never hand out a version that is not stored yet.
        await StoredRound();
        return Coordinator.Snapshot(sinceVersion);
    }

    public Task<PushResult> PushGradient(GradientPush push)
    {
        _gradientBytesIn += push.Gradients.Values.Sum(g => (long)g.Data.Length);
        return AnswerAsync(Coordinator.Offer, push, pending => pending);
    }

    public Task<BatchPushResult> PushBatch(GradientBatch batch)
    {
        _gradientBytesIn += batch.Sum.Values.Sum(g => (long)g.Data.Length) + (batch.Parts?.Values.Sum(p => p.Indices.Length * 12L) ?? 0);
        return AnswerAsync(Coordinator.OfferBatch, batch, pending => new BatchPushResult(batch.Members.Select(_ => pending).ToList(), null));
    }

    /// <summary>
    /// Offers a push or a batch, stores what changed, and answers once its round's state is stored; a round still
    /// open after PushWaitSeconds answers <paramref name="pendingAnswer"/> (the sender offers the same again to keep waiting).
    /// </summary>
    private async Task<TResult> AnswerAsync<TOffer, TResult>(Func<TOffer, Task<TResult>> offer, TOffer what, Func<PushResult, TResult> pendingAnswer)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var answer = offer(what);
        Busy(started);
        await SaveChanges();
        try
        {
            var result = await answer.WaitAsync(TimeSpan.FromSeconds(options.Value.PushWaitSeconds));
            // The answer waits until the state that holds its round is stored.
            await StoredRound();
            return result;
        }
        catch (TimeoutException)
        {
            return pendingAnswer(new PushResult(true, Coordinator.Version, PushRejectCode.None, null, null, Pending: true));
        }
    }

    public async Task Close()
    {
        Coordinator.Close();
        // Idempotent, and like the first call it returns once the closed state is durable.
        await SaveChanges();
        await _writer.Completion;
    }

    public Task<CodebookStatus> GetStatus() =>
        Task.FromResult(Coordinator.Status() with { PushCalls = _pushCalls, BusySeconds = _busyTicks / (double)System.Diagnostics.Stopwatch.Frequency, GradientBytesIn = _gradientBytesIn });

    /// <summary>Counts a push call and the time its offer held the grain (checks, the round's aggregation and update).</summary>
    private void Busy(long started)
    {
        _pushCalls++;
        _busyTicks += System.Diagnostics.Stopwatch.GetTimestamp() - started;
    }

    private IDisposable StartRoundTimer(long round) => this.RegisterGrainTimer(_ => OnRoundTimeout(round), new GrainTimerCreationOptions
    {
        DueTime = _spec!.RoundTimeout,
        Period = Timeout.InfiniteTimeSpan,
        Interleave = true,
    });

    private IDisposable StartDeadlineTimer(long round) => this.RegisterGrainTimer(_ =>
    {
        Coordinator.Deadline(round);
        return SaveChanges();
    }, new GrainTimerCreationOptions
    {
        DueTime = _spec!.RoundDeadline ?? Timeout.InfiniteTimeSpan,
        Period = Timeout.InfiniteTimeSpan,
        Interleave = true,
    });

    private Task OnRoundTimeout(long round)
    {
        var dropped = Coordinator.TimeOut(round);
        if (dropped.Count > 0)
        {
            logger.LogWarning("Group {Group}: round {Round} timed out after {Timeout}; dropping {Late} until they rejoin",
                GroupName, round, _spec!.RoundTimeout, string.Join(", ", dropped));
        }
        return SaveChanges();
    }

    private Task SaveIfDue() => Coordinator.TakeSaveDue() ? SaveAsync() : Task.CompletedTask;

    /// <summary>After a change: the checkpoint_every checkpoint when due, and the per-round state.</summary>
    private Task SaveChanges() => Task.WhenAll(SaveIfDue(), SaveRoundIfChanged());

    /// <summary>Returns once the state as it is now (and every earlier one) is in the round scope.</summary>
    private async Task StoredRound()
    {
        await SaveRoundIfChanged();
        await _roundWriter.Completion;
    }

    /// <summary>Saves the state to the round scope when a round, an applied gradient or closing changed it since the last such save.</summary>
    private Task SaveRoundIfChanged()
    {
        // Async groups apply every push as a version: a stored state per push would serialise pushes behind a
        // disk write (bench pushes: 7,000/s → 560/s). They keep their checkpoint_every checkpoints, so after a
        // failover an async group can come back a few versions older; its tasks then rejoin (docs/reliability.md).
        if (!Coordinator.SavesEveryRound)
        {
            return Task.CompletedTask;
        }
        var now = (Coordinator.Rounds, Coordinator.AppliedGradients, Coordinator.Closed, Coordinator.Members.Count);
        if (now == _roundSaved)
        {
            return Task.CompletedTask;
        }
        _roundSaved = now;
        return _roundWriter.Save(RoundScope, Capture());
    }

    private async Task CreateAsync(CodebookGroupSpec spec)
    {
        var run = RunSpecReader.Parse(spec.RunSpecJson, "run spec");
        var group = NewGroup(run, spec.Group);
        if (await store.LoadLatestAsync(Scope) is { } resumed)
        {
            // A resumed run: the group's codebooks as the earlier run left them.
            using var checkpoint = CodebookCheckpoint.FromBytes(resumed.Content.Parts[GroupPart], $"{Scope} {resumed.Info.ObjectName}");
            checkpoint.Restore(group);
        }
        // Sync rounds wait for every task of the group from the first round on.
        Open(spec, run, group, CodebookCoordinatorState.New(run.CodebookGroups[spec.Group]));
        await SaveAsync();
        logger.LogInformation("Group {Group} of job {Job} created ({Mode}, members {Members})", GroupName, JobId, run.Aggregation.Mode,
            string.Join(", ", Coordinator.Members));
    }

    private async Task RestoreAsync(CancellationToken cancellationToken)
    {
        var interval = await store.LoadLatestAsync(Scope, cancellationToken);
        var round = await store.LoadLatestAsync(RoundScope, cancellationToken);
        // The round scope is the newer unless an interval save came after the last round save.
        var loaded = round is null || (interval is not null && VersionOf(interval) > VersionOf(round)) ? interval : round;
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
        Open(state.Spec, run, group, new CodebookCoordinatorState(state.Members, state.LastSteps, state.AppliedGradients, state.Rounds, state.Closed));
        _roundSaved = (state.Rounds, state.AppliedGradients, state.Closed, state.Members.Count);
        logger.LogInformation("Group {Group} of job {Job} restored at version {Version} from {Checkpoint}", GroupName, JobId, group.Version, loaded.Info.ObjectName);
    }

    private void Open(CodebookGroupSpec spec, RunSpec run, CodebookGroup group, CodebookCoordinatorState state)
    {
        _spec = spec;
        _group = group;
        _coordinator = new CodebookCoordinator(group, CodebookRules.From(run) with { RoundDeadline = spec.RoundDeadline }, state, StartRoundTimer, metrics, JobId, StartDeadlineTimer);
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

    private static long VersionOf(LoadedCheckpoint checkpoint) =>
        long.TryParse(checkpoint.Content.Metadata.GetValueOrDefault("version"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var version) ? version : -1;

    /// <summary>Captures the state now (synchronously) and chains the write after any earlier one.</summary>
    private Task SaveAsync()
    {
        _savedVersion = _group!.Version;
        return _writer.Save(Scope, Capture());
    }

    /// <summary>The group's codebooks (and AdamW moments) and the coordinator's state, as they are now.</summary>
    private CheckpointContent Capture()
    {
        byte[] tensors;
        using (var checkpoint = CodebookCheckpoint.Capture(_group!))
        {
            tensors = checkpoint.ToBytes();
        }
        var coordinator = Coordinator.State();
        var state = JsonSerializer.SerializeToUtf8Bytes(new CodebookGrainState(_spec!, coordinator.Members, coordinator.LastSteps,
            coordinator.AppliedGradients, coordinator.Rounds, coordinator.Closed));
        return new CheckpointContent(
            new Dictionary<string, byte[]> { [GroupPart] = tensors, [StatePart] = state },
            new Dictionary<string, string> { ["version"] = _group!.Version.ToString(CultureInfo.InvariantCulture) });
    }
}
