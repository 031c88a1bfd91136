using Accept.GrainInterfaces;
using Accept.GrainInterfaces.Codebooks;
using Accept.Grains.Aggregation;
using Accept.Grains.Hosting;
using Accept.Training.Checkpointing.Store;
using Accept.Grains.Placement;
using Accept.Grains.Telemetry;
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
    private CodebookGroupCheckpoints? _checkpoints;
    private CodebookGroupSpec? _spec;
    private CodebookGroup? _group;
    private CodebookCoordinator? _coordinator;
    private Task? _initializing;
    private long _pushCalls;
    private long _busyTicks;
    private long _gradientBytesIn;

    private string JobId => GrainKeys.Split(this.GetPrimaryKeyString()).JobId;

    private string GroupName => GrainKeys.Split(this.GetPrimaryKeyString()).Name;

    private CodebookGroupCheckpoints Checkpoints => _checkpoints ??= new(store, JobId, GroupName, logger);

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
        return _checkpoints?.Completion ?? Task.CompletedTask;
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
        if (wasMember && Coordinator.Members.Count == 0 && _group!.Version != Checkpoints.SavedVersion)
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
        await Checkpoints.Saved;
    }

    public Task<CodebookStatus> GetStatus() =>
        Task.FromResult(Coordinator.Status() with { PushCalls = _pushCalls, BusySeconds = _busyTicks / (double)System.Diagnostics.Stopwatch.Frequency, GradientBytesIn = _gradientBytesIn });

    /// <summary>Counts a push call and the time its offer held the grain (checks, the round's aggregation and update).</summary>
    private void Busy(long started)
    {
        _pushCalls++;
        _busyTicks += System.Diagnostics.Stopwatch.GetTimestamp() - started;
    }

    private IDisposable StartRoundTimer(long round) => Once(_spec!.RoundTimeout, () => OnRoundTimeout(round));

    private IDisposable StartDeadlineTimer(long round) => Once(_spec!.RoundDeadline ?? Timeout.InfiniteTimeSpan, () =>
    {
        Coordinator.Deadline(round);
        return SaveChanges();
    });

    private IDisposable Once(TimeSpan due, Func<Task> fire) =>
        this.RegisterGrainTimer(_ => fire(), new GrainTimerCreationOptions { DueTime = due, Period = Timeout.InfiniteTimeSpan, Interleave = true });

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
    private Task StoredRound() => Checkpoints.StoredRound(_group!, _spec!, Coordinator);

    private Task SaveRoundIfChanged() => Checkpoints.SaveRoundIfChanged(_group!, _spec!, Coordinator);

    private async Task CreateAsync(CodebookGroupSpec spec)
    {
        var run = RunSpecReader.Parse(spec.RunSpecJson, "run spec");
        var group = NewGroup(run, spec.Group);
        if (await Checkpoints.LoadLatestAsync() is { } resumed)
        {
            // A resumed run: the group's codebooks as the earlier run left them.
            Checkpoints.Restore(resumed, group);
        }
        // Sync rounds wait for every task of the group from the first round on.
        Open(spec, run, group, CodebookCoordinatorState.New(run.CodebookGroups[spec.Group]));
        await SaveAsync();
        logger.LogInformation("Group {Group} of job {Job} created ({Mode}, members {Members})", GroupName, JobId, run.Aggregation.Mode,
            string.Join(", ", Coordinator.Members));
    }

    private async Task RestoreAsync(CancellationToken cancellationToken)
    {
        // Without a grain state (written by the in-process trainer or copied for a resumed run), Initialize builds the group from the spec and restores it.
        if (await Checkpoints.LoadNewestAsync(cancellationToken) is not { } loaded || Checkpoints.StateOf(loaded) is not { } state)
        {
            return;
        }
        var run = RunSpecReader.Parse(state.Spec.RunSpecJson, "run spec");
        var group = NewGroup(run, state.Spec.Group);
        Checkpoints.Restore(loaded, group);
        Open(state.Spec, run, group, new CodebookCoordinatorState(state.Members, state.LastSteps, state.AppliedGradients, state.Rounds, state.Closed));
        Checkpoints.Restored(state);
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

    /// <summary>Captures the state now (synchronously) and chains the write after any earlier one.</summary>
    private Task SaveAsync() => Checkpoints.Save(_group!, _spec!, Coordinator);
}
