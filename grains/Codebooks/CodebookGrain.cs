using Accept.GrainInterfaces;
using Accept.GrainInterfaces.Codebooks;
using Accept.Grains.Aggregation;
using Accept.Grains.Hosting;
using Accept.Training.Checkpointing.Store;
using Accept.Grains.Placement;
using Accept.Grains.Telemetry;
using Accept.Training.Prompts;
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
    private readonly PushCallMeter _pushes = new();

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
        _pushes.Received(push.Gradients.Values.Sum(g => (long)g.Data.Length));
        return AnswerAsync(Coordinator.Offer, push, pending => pending);
    }

    public Task<BatchPushResult> PushBatch(GradientBatch batch)
    {
        _pushes.Received(batch.Sum.Values.Sum(g => (long)g.Data.Length) + (batch.Parts?.Values.Sum(p => p.Indices.Length * 12L) ?? 0));
        return AnswerAsync(Coordinator.OfferBatch, batch, pending => new BatchPushResult(batch.Members.Select(_ => pending).ToList(), null));
    }

    /// <summary>
    /// Offers a push or a batch, stores what changed, and answers once its round's state is stored; a round still
    /// open after PushWaitSeconds answers <paramref name="pendingAnswer"/> (the sender offers the same again to keep waiting).
    /// </summary>
    private async Task<TResult> AnswerAsync<TOffer, TResult>(Func<TOffer, Task<TResult>> offer, TOffer what, Func<PushResult, TResult> pendingAnswer)
    {
        var answer = _pushes.Measure(() => offer(what));
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
        Task.FromResult(_pushes.Stamp(Coordinator.Status()));

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
        var opened = await CodebookGroupOpening.CreateAsync(spec, Checkpoints);
        Open(opened);
        await SaveAsync();
        logger.LogInformation("Group {Group} of job {Job} created ({Mode}, members {Members})", GroupName, JobId, opened.Run.Aggregation.Mode,
            string.Join(", ", Coordinator.Members));
    }

    private async Task RestoreAsync(CancellationToken cancellationToken)
    {
        if (await CodebookGroupOpening.RestoreAsync(Checkpoints, cancellationToken) is { } opened)
        {
            Open(opened);
            logger.LogInformation("Group {Group} of job {Job} restored at version {Version} from {Checkpoint}", GroupName, JobId, opened.Group.Version, opened.From);
        }
    }

    private void Open(OpenedGroup opened)
    {
        (_spec, _group) = (opened.Spec, opened.Group);
        _coordinator = new CodebookCoordinator(opened.Group, opened.Rules, opened.State, StartRoundTimer, metrics, JobId, StartDeadlineTimer);
    }

    /// <summary>Captures the state now (synchronously) and chains the write after any earlier one.</summary>
    private Task SaveAsync() => Checkpoints.Save(_group!, _spec!, Coordinator);
}
