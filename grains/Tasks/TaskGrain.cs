using System.Diagnostics;
using System.Globalization;
using Accept.GrainInterfaces;
using Accept.GrainInterfaces.Codebooks;
using Accept.GrainInterfaces.Jobs;
using Accept.GrainInterfaces.Tasks;
using Accept.Grains.Checkpoints;
using Accept.Training.Checkpointing.Store;
using Accept.Grains.Execution;
using Accept.Grains.Placement;
using Accept.Grains.Telemetry;
using Accept.Training.Checkpointing;
using Accept.Training.MultiTask;
using Microsoft.Extensions.Logging;

namespace Accept.Grains.Tasks;

/// <summary>
/// One task's training loop, on worker silos only. The loop runs in an interleaving grain timer: each
/// step, evaluation and checkpoint capture runs on the silo's step worker while the grain keeps answering
/// status, pause and cancel calls. Training state lives in the silo's <see cref="TaskSessionHost"/>; a
/// reactivated grain (its silo died) restores the last checkpoint (metric history included), rejoins its group and pulls the
/// current codebooks; steps the group already applied are answered as duplicates and not counted again.
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
    ILogger<TaskGrain> logger) : Grain, ITaskGrain
{
    private static readonly TimeSpan TickSlice = TimeSpan.FromMilliseconds(250);

    private readonly TaskMetricLog _log = new();
    private readonly CancellationTokenSource _stopping = new();
    private CodebookLink? _link;
    private TaskCheckpoints? _checkpoints;
    private TaskLifecycle? _lifecycle;
    private TaskAssignment? _spec;
    private IGrainTimer? _timer;
    private Task _inflight = Task.CompletedTask;
    private bool _looping;
    private bool _deactivating;
    private long _codebookVersion;

    private string Key => this.GetPrimaryKeyString();

    private TaskRuntime? Runtime => sessions.Get(Key);

    /// <summary>This activation's link to its codebook group (its epoch is this activation's).</summary>
    private CodebookLink Codebook => _link ??= new CodebookLink(GrainFactory, _spec!.JobId, _spec.CodebookGroup, _spec.TaskName, logger, _stopping.Token, options.Value.Hierarchical);

    private TaskCheckpoints Checkpoints => _checkpoints ??= new TaskCheckpoints(store, _spec!.JobId, _spec.TaskName, logger);

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
        if (Lifecycle.Cancel() && _spec is not null)
        {
            await _inflight;
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
        _timer?.Dispose();
        await _stopping.CancelAsync();
        try
        {
            // The in-flight step must end before its session is disposed under it.
            await _inflight.WaitAsync(cancellationToken);
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
        try
        {
            // A bounded slice per tick: between ticks the activation can deactivate (silo shutdown) without
            // waiting for the whole run.
            var slice = Stopwatch.StartNew();
            while (Lifecycle.Running && !_deactivating && !cancellationToken.IsCancellationRequested && slice.Elapsed < TickSlice)
            {
                var runtime = Runtime ?? await SetUp();
                if (!Lifecycle.Running)
                {
                    break;
                }
                if (Lifecycle.TakeRejoin())
                {
                    await RefreshCodebooks(runtime, await Codebook.Join());
                }
                if (runtime.Session.Finished)
                {
                    await Finish(runtime);
                    break;
                }
                await TrainOneStep(runtime);
            }
        }
        catch (Exception e) when (!_deactivating && !_stopping.IsCancellationRequested)
        {
            Lifecycle.End(TaskState.Failed, Runtime?.Session, e.Message);
            logger.LogError(e, "Task {Task} failed at step {Step}", Key, Runtime?.Session.StepCount);
            _timer?.Dispose();
            ReportProgress();
            await LeaveAfterFailure();
        }
        finally
        {
            _looping = false;
        }
    }

    /// <summary>A failed task must not hold up its group's sync rounds; the group may itself be what failed.</summary>
    private async Task LeaveAfterFailure()
    {
        try
        {
            await Codebook.Leave().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Task {Task}: could not leave its codebook group after failing", Key);
        }
    }

    private Task<T> OnWorker<T>(Func<T> work)
    {
        var task = worker.RunAsync(work);
        _inflight = task;
        return task;
    }

    private async Task<TaskRuntime> SetUp()
    {
        var spec = _spec!;
        var checkpoint = await Checkpoints.LoadLatestAsync();
        var runtime = await OnWorker(() => sessions.Open(spec.RunSpecJson, spec.TaskName, backbones.Get, checkpoint?.Task, checkpoint?.Source ?? ""));
        sessions.Add(Key, runtime);
        if (checkpoint?.History is { } history)
        {
            // The points up to the checkpoint; the steps after it are trained (and reported) again.
            _log.Restore(history, runtime.Session.StepCount);
        }
        // A completed task stays completed unless the run was resumed with more steps.
        if (checkpoint is { Completed: true } && runtime.Session.Finished)
        {
            Lifecycle.End(TaskState.Completed, runtime.Session);
            return runtime;
        }
        if (checkpoint is not null)
        {
            logger.LogInformation("Task {Task} restored at step {Step} from {Checkpoint} on {Silo}", Key, runtime.Session.StepCount, checkpoint.ObjectName, silo.Name);
        }
        await RefreshCodebooks(runtime, await Codebook.Join());
        _log.StartWindow(runtime.Session.StepCount);
        return runtime;
    }

    private async Task TrainOneStep(TaskRuntime runtime)
    {
        var spec = _spec!;
        var baseVersion = runtime.CodebookVersion;
        var report = await OnWorker(runtime.Step);
        metrics.RecordStep(spec.JobId, spec.TaskName, report.Loss, report.Seconds, report.Seconds > 0 ? report.Tokens / report.Seconds : 0);
        _log.Stepped(report.Step, report.Loss, report.LearningRate, baseVersion);

        if (!runtime.Session.CodebooksFrozen)
        {
            var result = await Codebook.Push(baseVersion, report.Step, report.Gradients, report.Skipped);
            if (!result.Accepted)
            {
                await OnRejected(runtime, report.Step, result);
                if (_deactivating)
                {
                    // Retired: a newer activation owns the task; this one records nothing more.
                    return;
                }
            }
            await RefreshCodebooks(runtime, await Codebook.After(result, baseVersion, runtime.CodebookVersion));
        }

        if (runtime.Session.EvaluationDue)
        {
            var evaluation = await OnWorker(runtime.Evaluate);
            metrics.RecordEvaluation(spec.JobId, spec.TaskName, MetricNames.Of(evaluation.Metric), evaluation.Value);
            _log.Evaluated(evaluation.Step, evaluation.Value);
            if (evaluation.IsBest)
            {
                await SaveBestCheckpoint(runtime);
            }
        }
        if (spec.CheckpointEvery > 0 && report.Step % spec.CheckpointEvery == 0 && !runtime.Session.Finished)
        {
            await SaveCheckpoint(runtime, TaskState.Running);
        }
        ReportProgress();
    }

    private async Task OnRejected(TaskRuntime runtime, long step, PushResult result)
    {
        switch (PushRejections.Decide(result.Code, Lifecycle.Running))
        {
            case PushRejection.Stop:
                Lifecycle.End(TaskState.Cancelled, runtime.Session, result.RejectReason);
                return;
            case PushRejection.Retire:
                // Its silo was declared dead and a newer activation took over: nothing of this one may count.
                logger.LogWarning("Task {Task}: step {Step} refused, a newer activation took over ({Reason}); retiring this one", Key, step, result.RejectReason);
                _deactivating = true;
                _timer?.Dispose();
                DeactivateOnIdle();
                return;
            case PushRejection.Ignore:
                logger.LogInformation("Task {Task}: push of step {Step} not counted ({Code})", Key, step, result.Code);
                return;
            case PushRejection.Rejoin:
                logger.LogInformation("Task {Task}: push of step {Step} rejected ({Code}: {Reason}); rejoining", Key, step, result.Code, result.RejectReason);
                await RefreshCodebooks(runtime, await Codebook.Join());
                return;
            default:
                throw new InvalidOperationException($"Codebook group '{_spec!.CodebookGroup}' rejected step {step} of task '{_spec.TaskName}': {result.Code}: {result.RejectReason}");
        }
    }

    private async Task RefreshCodebooks(TaskRuntime runtime, CodebookSnapshot snapshot)
    {
        if (await Codebook.Fresh(snapshot, runtime.CodebookVersion) is not { } fresh)
        {
            return;
        }
        await OnWorker(() =>
        {
            runtime.SetCodebooks(fresh);
            return true;
        });
        _codebookVersion = runtime.CodebookVersion;
    }

    private async Task Finish(TaskRuntime runtime)
    {
        await Codebook.Leave();
        await SaveCheckpoint(runtime, TaskState.Completed);
        Lifecycle.End(TaskState.Completed, runtime.Session);
        _timer?.Dispose();
        ReportProgress();
        logger.LogInformation("Task {Task} completed {Steps} steps", Key, runtime.Session.StepCount);
    }

    private async Task SaveCheckpoint(TaskRuntime runtime, TaskState state)
    {
        var bytes = await OnWorker(runtime.CaptureBytes);
        await Checkpoints.SaveAsync(bytes, _log.Points, runtime.Session.StepCount, runtime.CodebookVersion, state);
    }

    /// <summary>
    /// Tells the job (one-way: a step never waits on it) this task's status and the points recorded since the
    /// last report; each is final by now (the step's evaluation, when due, is in it).
    /// </summary>
    private void ReportProgress()
    {
        Job.ReportProgress(Status(), _log.TakeUnreported()).Ignore();
    }

    /// <summary>The task and the codebooks it was evaluated with, in the best-task scope, as the in-process trainer keeps them.</summary>
    private async Task SaveBestCheckpoint(TaskRuntime runtime)
    {
        var (task, codebooks) = await OnWorker(runtime.CaptureBest);
        await Checkpoints.SaveBestAsync(task, codebooks, runtime.Session.StepCount, runtime.CodebookVersion);
    }

    private TrainingTaskStatus Status() => Lifecycle.Status(Runtime?.Session, _log.StepsPerSecond, _codebookVersion, silo.Name, _checkpoints?.Behind);
}
