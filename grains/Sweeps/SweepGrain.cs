using Accept.GrainInterfaces;
using Accept.GrainInterfaces.Jobs;
using Accept.GrainInterfaces.Sweeps;
using Accept.GrainInterfaces.Tasks;
using Accept.Grains.Checkpoints;
using Accept.Training.Checkpointing.Store;
using Accept.Grains.Placement;
using Accept.Grains.Telemetry;
using Accept.Training.Config;
using Accept.Training.Sweeps;
using Microsoft.Extensions.Logging;
using TrialState = Accept.Training.Sweeps.TrialState;

namespace Accept.Grains.Sweeps;

/// <summary>
/// A sweep on the cluster: a thin adapter from grain calls and its trials' job events (<see cref="IJobObserver"/>)
/// to <see cref="SweepEngine"/>. The
/// engine's state is persisted (checkpoint store, scope "sweep-id/sweep", and the sweep directory's state.json)
/// after every decision and before its actions run; the actions are idempotent (a trial's job is submitted with
/// the same spec, a stop cancels), so a sweep grain reactivated on another silo repeats them safely and carries on.
/// </summary>
[PreferCoordinatorPlacement]
public sealed class SweepGrain(ICheckpointStore store, AcceptMetrics metrics, ILogger<SweepGrain> logger) : Grain, ISweepGrain, IJobObserver, IRemindable
{
    private SweepState? _state;
    private SweepSpec? _spec;
    private SweepDirectory? _directory;
    private int _concurrency;
    private IGrainTimer? _timer;
    private bool _busy;

    /// <summary>The sweep ended and its summary and plots are written: only then does its status say it ended.</summary>
    private bool _finalized;
    private readonly TrialWatches _watches = new();

    /// <summary>Decisions already counted in the decisions metric (those restored on activation are not counted again).</summary>
    private int _decisionsRecorded;

    private string SweepId => this.GetPrimaryKeyString();

    private SweepCheckpoints Checkpoints => new(store, SweepId);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!CheckpointIdentifier.IsValid(SweepId)) return;
        if (await Checkpoints.LoadAsync(cancellationToken) is not { } loaded) return;
        (_state, _directory, _concurrency) = (loaded.State, new SweepDirectory(loaded.Directory), loaded.Concurrency);
        _spec = SweepEngine.SpecOf(_state);
        _decisionsRecorded = _state.Decisions.Count;
        logger.LogInformation("Sweep {Sweep} restored: {Phase}, {Decisions} decisions", SweepId, _state.Phase, _state.Decisions.Count);
        if (_state.Phase == SweepPhase.Running)
        {
            await TrialControl.RepeatStopsAsync(GrainFactory, _state, _spec!);
            StartTimer();
        }
        else
        {
            await Finish();
        }
    }

    public async Task<SweepStatus> Start(SweepSubmission submission)
    {
        CheckpointIdentifier.Validate(SweepId, "sweep id");
        if (_state is null)
        {
            var (record, spec) = SweepRecord.Submitted(SweepId, submission);
            (_state, _spec, _directory, _concurrency) = (record.State, spec, new SweepDirectory(record.Directory), record.Concurrency);
            await Persist();
            logger.LogInformation("Sweep {Sweep}: {Trials} trials, {Concurrency} at once, in {Directory}", SweepId, _state.Trials.Count, _concurrency, _directory.Path);
        }
        if (_state.Phase == SweepPhase.Running)
        {
            await SweepWakeUp.RegisterAsync(this, logger);
            StartTimer();
            await Step();
        }
        else if (!_finalized)
        {
            await Finish();
        }
        return Status();
    }

    public Task<SweepStatus> GetStatus() => Task.FromResult(Status());

    /// <summary>The wake-up reminder (<see cref="SweepWakeUp"/>): its call activated the sweep, which restored its state and started its timer.</summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (_state is { Phase: SweepPhase.Running }) StartTimer();
        else await SweepWakeUp.UnregisterAsync(this, logger);
    }

    public async Task<SweepStatus> Cancel()
    {
        Require();
        await Apply([new CancelSweep()]);
        await Finish();
        return Status();
    }

    private void StartTimer()
    {
        if (_timer is not null) return;
        // Progress arrives as the jobs' events (OnProgress); this renews the subscriptions (which also brings them
        // back after a job grain moved), reads each job's status once (an event lost with a silo) and fills slots.
        var period = JobSubscription.Renewal;
        _timer = this.RegisterGrainTimer(_ => Step(), new GrainTimerCreationOptions { DueTime = period, Period = period, Interleave = false, KeepAlive = true });
    }

    /// <summary>One renewal: every active trial's subscription renewed and its job's status caught up, then free slots filled.</summary>
    private Task Step() => Round(async state =>
    {
        foreach (var trial in state.Trials.Where(t => t.IsActive).ToList())
        {
            await Apply(await Renew(trial));
        }
    });

    /// <summary>A trial job's event: its points and status, then the engine's decisions on them.</summary>
    public Task OnProgress(JobProgress progress)
    {
        if (_state is not { } state) return Task.CompletedTask;
        var trial = state.Trials.FirstOrDefault(t => t.IsActive && SweepEngine.JobId(state, t) == progress.JobId);
        if (trial is null || _watches.Of(trial.Id, progress.JobId) is not { } watch) return Task.CompletedTask;
        watch.Add(progress);
        return Round(async _ =>
        {
            if (trial.IsActive) await Apply(await Collect(trial, watch));
        });
    }

    /// <summary>Runs <paramref name="work"/> on a running sweep, then fills free slots; a failure is logged and the next renewal tries again.</summary>
    private async Task Round(Func<SweepState, Task> work)
    {
        if (_busy || _state is not { } state) return;
        _busy = true;
        try
        {
            if (state.Phase == SweepPhase.Running)
            {
                await work(state);
                await Apply([new SlotsFree(_concurrency - state.Trials.Count(t => t.IsActive))]);
                RecordMetrics(state);
            }
            if (state.Phase != SweepPhase.Running && !_finalized) await Finish();
        }
        catch (Exception e)
        {
            // A grain never crashes its silo: the next renewal tries again.
            logger.LogWarning(e, "Sweep {Sweep}: a round failed; retrying", SweepId);
        }
        finally
        {
            _busy = false;
        }
    }

    private TrialWatch WatchOf(TrialRecord trial, string runSpecJson) => _watches.For(trial.Id, SweepEngine.JobId(_state!, trial), runSpecJson);

    /// <summary>The trial's job (submitted again when needed: Submit is idempotent), its subscription renewed, its status and missing points, as engine events.</summary>
    private async Task<List<SweepEvent>> Renew(TrialRecord trial)
    {
        var (json, _) = SweepEngine.TrialSpec(_spec!, trial.Params);
        var watch = WatchOf(trial, json);
        JobStatus status;
        try
        {
            status = await Job(watch.JobId).Submit(new JobSubmission(json, $"sweep {SweepId}"));
        }
        catch (ArgumentException e)
        {
            return [new TrialRejected(trial.Id, e.Message)];
        }
        await Job(watch.JobId).Subscribe(this.AsReference<IJobObserver>());
        watch.Add(status);
        return await Collect(trial, watch);
    }

    /// <summary>Points the events did not bring fetched, then the engine events; a trial that ended gets its run files.</summary>
    private async Task<List<SweepEvent>> Collect(TrialRecord trial, TrialWatch watch)
    {
        await watch.CatchUpAsync(GrainFactory);
        var events = watch.Events(trial, _spec!);
        if (events.Any(e => e is TrialEnded)) TrialArtifacts.WriteRun(_directory!, trial, watch, await Job(watch.JobId).GetResults());
        return events;
    }

    /// <summary>Decides each event, persists the state, then carries out the actions (<see cref="SweepDecisions"/>).</summary>
    private Task Apply(IEnumerable<SweepEvent> events) => SweepDecisions.ApplyAsync(_state!, _spec!, events, Persist, Execute);

    private async Task<SweepEvent?> Execute(SweepAction action)
    {
        var trial = _state!.Trial(action.Trial);
        switch (action)
        {
            case StartTrial start:
                if (start.RestoreFromTrial is { } from)
                {
                    // PBT exploit or retry: seeded from that trial's run directory as `accept train --resume` seeds a run.
                    await TrialArtifacts.SeedFromDonorAsync(store, RunSpecReader.Parse(start.RunSpecJson, "trial spec"), _directory!.TrialDirectory(_state.Trial(from)), start.JobId, logger);
                }
                TrialArtifacts.WriteStart(_directory!, trial, start.RunSpecJson, store, start.JobId);
                try
                {
                    await Job(start.JobId).Submit(new JobSubmission(start.RunSpecJson, $"sweep {SweepId}"));
                }
                catch (ArgumentException e)
                {
                    return new TrialRejected(trial.Id, e.Message);
                }
                // Its events from now on; the first one fetches what the tasks recorded before.
                WatchOf(trial, start.RunSpecJson);
                await Job(start.JobId).Subscribe(this.AsReference<IJobObserver>());
                break;
            case StopTrial stop:
                await Job(stop.JobId).Cancel();
                await Job(stop.JobId).Unsubscribe(this.AsReference<IJobObserver>());
                if (_watches.Remove(trial.Id, out var watch))
                {
                    watch.Add(await Job(stop.JobId).GetStatus());
                    await watch.CatchUpAsync(GrainFactory);
                    TrialArtifacts.WriteRun(_directory!, trial, watch, await Job(stop.JobId).GetResults());
                }
                break;
            case PauseTrial pause:
                await TrialControl.ForEachTaskAsync(GrainFactory, _spec!, pause.JobId, trial, t => t.Pause());
                break;
            case ResumeTrial resume:
                await TrialControl.ForEachTaskAsync(GrainFactory, _spec!, resume.JobId, trial, t => t.Resume());
                break;
        }
        return null;
    }

    private async Task Finish()
    {
        await Persist();
        _directory!.WriteSummary(_state!, _spec!);
        try
        {
            SweepPlots.Write(_directory, _state!, _spec!);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ArgumentException)
        {
            logger.LogWarning(e, "Sweep {Sweep}: plots not written", SweepId);
        }
        _finalized = true;
        _timer?.Dispose();
        _timer = null;
        await SweepWakeUp.UnregisterAsync(this, logger);
        logger.LogInformation("Sweep {Sweep} ended: {Phase}", SweepId, _state!.Phase);
    }

    private async Task Persist()
    {
        var state = _state!;
        await Checkpoints.SaveAsync(new SweepRecord(state, _directory!.Path, _concurrency));
        _directory.WriteState(state);
        _directory.WriteSummary(state, _spec!);
        RecordMetrics(state);
    }

    private void RecordMetrics(SweepState state) => _decisionsRecorded = SweepMetrics.Record(metrics, state, _spec!, _decisionsRecorded);

    private SweepStatus Status() => TrialControl.StatusOf(SweepId, Require(), _spec!, _directory!, _finalized);

    private IJobGrain Job(string jobId) => GrainFactory.GetGrain<IJobGrain>(jobId);

    private SweepState Require() => _state ?? throw new InvalidOperationException($"Sweep '{SweepId}' has not been started.");
}
