using System.Diagnostics;
using Accept.GrainInterfaces;
using Accept.GrainInterfaces.Jobs;
using Accept.GrainInterfaces.Tasks;
using Accept.Grains.Execution;
using Accept.Grains.Placement;
using Accept.Grains.Telemetry;
using Accept.Training.Checkpointing.Store;
using Microsoft.Extensions.Logging;

namespace Accept.Grains.Tasks;

/// <summary>
/// One task's training loop, on worker silos only: an Orleans adapter over <see cref="TaskTraining"/> (the
/// protocol of set-up, step, push, evaluation and checkpoints) and <see cref="TaskLifecycle"/> (its states). The
/// loop runs in an interleaving grain timer: each step, evaluation and checkpoint capture runs on the silo's step
/// worker while the grain keeps answering status, pause and cancel calls. Training state lives in the silo's
/// <see cref="TaskSessionHost"/>; a reactivated grain (its silo died) restores the last checkpoint (metric history
/// included), rejoins its group and pulls the current codebooks; steps the group already applied are answered as
/// duplicates and not counted again.
/// </summary>
[WorkerPlacement]
[TaskSlotPlacement]
public sealed class TaskGrain(
    StepWorker worker,
    BackboneCache backbones,
    TaskSessionHost sessions,
    ICheckpointStore store,
    AcceptMetrics metrics,
    ILocalSiloDetails silo,
    Microsoft.Extensions.Options.IOptions<Accept.Grains.Hosting.AcceptSiloOptions> options,
    Accept.Grains.Aggregation.SiloAggregator aggregator,
    ILogger<TaskGrain> logger) : Grain, ITaskGrain
{
    private static readonly TimeSpan TickSlice = TimeSpan.FromMilliseconds(250);

    private readonly TaskMetricLog _log = new();
    private readonly CancellationTokenSource _stopping = new();
    private CodebookLink? _link;
    private TaskLifecycle? _lifecycle;
    private TaskTraining? _training;
    private TaskAssignment? _spec;
    private IGrainTimer? _timer;
    private bool _looping;
    private bool _deactivating;

    private string Key => this.GetPrimaryKeyString();

    private TaskRuntime? Runtime => sessions.Get(Key);

    /// <summary>This activation's link to its codebook group (its epoch is this activation's).</summary>
    private CodebookLink Codebook => _link ??= new CodebookLink(GrainFactory, _spec!.JobId, _spec.CodebookGroup, _spec.TaskName, logger, _stopping.Token, options.Value.Hierarchical ? aggregator : null);

    private TaskLifecycle Lifecycle => _lifecycle ??= new TaskLifecycle(GrainKeys.Split(Key).Name);

    private IJobGrain Job => GrainFactory.GetGrain<IJobGrain>(_spec!.JobId);

    public Task<TrainingTaskStatus> Start(TaskAssignment spec)
    {
        var (jobId, taskName) = GrainKeys.Split(Key);
        if (spec.JobId != jobId || spec.TaskName != taskName)
        {
            throw new ArgumentException($"Task grain '{Key}' got the spec of '{spec.JobId}/{spec.TaskName}'.");
        }
        if (_spec is null)
        {
            _spec = spec;
            _training = new TaskTraining(spec, worker, Codebook, new TaskCheckpoints(store, spec.JobId, spec.TaskName, logger), Lifecycle, _log, metrics, logger);
            Lifecycle.Start();
            _timer = this.RegisterGrainTimer(Loop, new GrainTimerCreationOptions
            {
                DueTime = TimeSpan.Zero,
                Period = TimeSpan.FromMilliseconds(1),
                Interleave = true,
                KeepAlive = true,
            });
            logger.LogInformation("Task {Task} started on {Silo}", Key, silo.Name);
        }
        return Task.FromResult(Status());
    }

    /// <summary>Stops after the running step and leaves the group, so a paused task never holds up a sync round.</summary>
    public async Task<TrainingTaskStatus> Pause()
    {
        if (Lifecycle.Pause())
        {
            await Codebook.Leave();
            ReportProgress();
        }
        return Status();
    }

    /// <summary>Rejoins the group (pulling the current codebooks) before the next step.</summary>
    public Task<TrainingTaskStatus> Resume()
    {
        Lifecycle.Resume();
        return Task.FromResult(Status());
    }

    public async Task<TrainingTaskStatus> Cancel()
    {
        if (Lifecycle.Cancel() && _training is not null)
        {
            await _training.Inflight;
            await Codebook.Leave();
            Lifecycle.Seal(Runtime?.Session);
            ReportProgress();
        }
        return Status();
    }

    public Task<TrainingTaskStatus> GetStatus() => Task.FromResult(Status());

    public Task<IReadOnlyList<TaskMetricPoint>> GetMetrics(long afterStep) => Task.FromResult(_log.After(afterStep));

    public Task<TaskResult> GetResult() => Task.FromResult(Lifecycle.Result(Runtime?.Session));

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _deactivating = true;
        if (_training is not null)
        {
            _training.Stopping = true;
        }
        _timer?.Dispose();
        await _stopping.CancelAsync();
        try
        {
            // The in-flight step must end before its session is disposed under it.
            await (_training?.Inflight ?? Task.CompletedTask).WaitAsync(cancellationToken);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
            logger.LogWarning("Task {Task}: deactivating while a step still runs", Key);
            return;
        }
        catch (Exception)
        {
            // The step's failure was already reported by the loop.
        }
        sessions.Remove(Key);
    }

    private async Task Loop(CancellationToken cancellationToken)
    {
        if (_looping)
        {
            return;
        }
        _looping = true;
        var training = _training!;
        try
        {
            // A bounded slice per tick: between ticks the activation can deactivate (silo shutdown) without
            // waiting for the whole run.
            var slice = Stopwatch.StartNew();
            while (Lifecycle.Running && !_deactivating && !cancellationToken.IsCancellationRequested && slice.Elapsed < TickSlice)
            {
                switch (await training.AdvanceAsync(Runtime, () => SetUp(training)))
                {
                    case TaskAdvance.Stopped:
                        return;
                    case TaskAdvance.Retired:
                        if (!_deactivating)
                        {
                            Retire();
                        }
                        return;
                    case TaskAdvance.Finished:
                        _timer?.Dispose();
                        break;
                }
                ReportProgress();
            }
        }
        catch (Exception e) when (!_deactivating && !_stopping.IsCancellationRequested)
        {
            Lifecycle.End(TaskState.Failed, Runtime?.Session, e.Message);
            logger.LogError(e, "Task {Task} failed at step {Step}", Key, Runtime?.Session.StepCount);
            _timer?.Dispose();
            ReportProgress();
            await training.LeaveAfterFailureAsync();
        }
        finally
        {
            _looping = false;
        }
    }

    private Task<TaskRuntime> SetUp(TaskTraining training) => training.SetUpAsync(
        checkpoint => sessions.Open(_spec!.RunSpecJson, _spec.TaskName, backbones.Get, checkpoint?.Task, checkpoint?.Source ?? ""),
        runtime => sessions.Add(Key, runtime), silo.Name);

    /// <summary>A newer activation owns the task (this one's silo was declared dead): this one records nothing more.</summary>
    private void Retire()
    {
        _deactivating = true;
        _timer?.Dispose();
        DeactivateOnIdle();
    }

    /// <summary>
    /// Tells the job (one-way: a step never waits on it) this task's status and the points recorded since the
    /// last report; each is final by now (the step's evaluation, when due, is in it).
    /// </summary>
    private void ReportProgress() => Job.ReportProgress(Status(), _log.TakeUnreported()).Ignore();

    private TrainingTaskStatus Status() =>
        Lifecycle.Status(Runtime?.Session, _log.StepsPerSecond, _training?.CodebookVersion ?? 0, silo.Name, _training?.CheckpointBehind);
}
