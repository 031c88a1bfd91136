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
    private OpenedGroup? _opened;
    private CodebookCoordinator? _coordinator;
    private CodebookGroupSaves? _saves;
    private Task? _initializing;
    private readonly PushCallMeter _pushes = new();

    private string JobId => GrainKeys.Split(this.GetPrimaryKeyString()).JobId;

    private string GroupName => GrainKeys.Split(this.GetPrimaryKeyString()).Name;

    private CodebookGroupCheckpoints Checkpoints => _checkpoints ??= new(store, JobId, GroupName, logger);

    private CodebookCoordinator Coordinator => _coordinator ?? throw NotInitialised();

    private CodebookGroupSaves Saves => _saves ?? throw NotInitialised();

    private InvalidOperationException NotInitialised() =>
        new($"Codebook group '{this.GetPrimaryKeyString()}' is not initialised: the job grain calls Initialize first.");

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
            _ = Saves.RoundIfChanged();
        }
        _coordinator?.Dispose();
        _opened?.Group.Dispose();
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
        await Saves.StoredRound();
        return snapshot;
    }

    public Task Leave(string taskId)
    {
        var wasMember = Coordinator.Members.Contains(taskId);
        Coordinator.Leave(taskId);
        // The last member leaving (every task finished) checkpoints the group's final state.
        return Saves.Left(wasMember);
    }

    public async Task<CodebookSnapshot> GetSnapshot(long sinceVersion)
    {
        // Never hand out a version that is not stored yet.
        await Saves.StoredRound();
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
        await Saves.Changed();
        try
        {
            var result = await answer.WaitAsync(TimeSpan.FromSeconds(options.Value.PushWaitSeconds));
            // The answer waits until the state that holds its round is stored.
            await Saves.StoredRound();
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
        await Saves.Changed();
        await Checkpoints.Saved;
    }

    public Task<CodebookStatus> GetStatus() =>
        Task.FromResult(_pushes.Stamp(Coordinator.Status()));

    private IDisposable StartRoundTimer(long round) => Once(_opened!.Spec.RoundTimeout, () => OnRoundTimeout(round));

    private IDisposable StartDeadlineTimer(long round) => Once(_opened!.Spec.RoundDeadline ?? Timeout.InfiniteTimeSpan, () =>
    {
        Coordinator.Deadline(round);
        return Saves.Changed();
    });

    private IDisposable Once(TimeSpan due, Func<Task> fire) =>
        this.RegisterGrainTimer(_ => fire(), new GrainTimerCreationOptions { DueTime = due, Period = Timeout.InfiniteTimeSpan, Interleave = true });

    private Task OnRoundTimeout(long round)
    {
        var dropped = Coordinator.TimeOut(round);
        if (dropped.Count > 0)
        {
            logger.LogWarning("Group {Group}: round {Round} timed out after {Timeout}; dropping {Late} until they rejoin",
                GroupName, round, _opened!.Spec.RoundTimeout, string.Join(", ", dropped));
        }
        return Saves.Changed();
    }

    private async Task CreateAsync(CodebookGroupSpec spec)
    {
        var opened = await CodebookGroupOpening.CreateAsync(spec, Checkpoints);
        Open(opened);
        await Saves.Now();
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
        _opened = opened;
        _coordinator = new CodebookCoordinator(opened.Group, opened.Rules, opened.State, StartRoundTimer, metrics, JobId, StartDeadlineTimer);
        _saves = new CodebookGroupSaves(Checkpoints, opened.Group, opened.Spec, _coordinator);
    }
}
