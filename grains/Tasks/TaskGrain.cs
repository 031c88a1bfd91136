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
    private const string TaskPart = CheckpointParts.Task;
    private const string MetricsPart = CheckpointParts.Metrics;
    private const string StateKey = CheckpointParts.State;
    private static readonly TimeSpan TickSlice = TimeSpan.FromMilliseconds(250);

    private readonly TaskMetricLog _log = new();
    private readonly CancellationTokenSource _stopping = new();
    private CodebookLink? _link;
    private TaskAssignment? _spec;
    private TaskState _state = TaskState.Created;
    private string? _error;

    /// <summary>Why the last checkpoint did not reach the store (an outage; the next checkpoint saves again), or null.</summary>
    private string? _checkpointBehind;
    private IGrainTimer? _timer;
    private Task _inflight = Task.CompletedTask;
    private bool _looping;
    private bool _deactivating;
    private bool _rejoin;
    private long _codebookVersion;
    private TaskResult? _final;

    private string Key => this.GetPrimaryKeyString();

    private TaskRuntime? Runtime => sessions.Get(Key);

    /// <summary>This activation's link to its codebook group (its epoch is this activation's).</summary>
    private CodebookLink Codebook => _link ??= new CodebookLink(GrainFactory, _spec!.JobId, _spec.CodebookGroup, _spec.TaskName, logger, _stopping.Token, options.Value.Hierarchical);

    private CheckpointScope Scope => new(_spec!.JobId, CheckpointOwners.Task(_spec.TaskName));

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
            _state = TaskState.Running;
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
        if (_state == TaskState.Running)
        {
            _state = TaskState.Paused;
            _rejoin = true;
            await Codebook.Leave();
            ReportProgress();
        }
        return Status();
    }

    /// <summary>Rejoins the group (pulling the current codebooks) before the next step.</summary>
    public Task<TrainingTaskStatus> Resume()
    {
        if (_state == TaskState.Paused)
        {
            _state = TaskState.Running;
        }
        return Task.FromResult(Status());
    }

    public async Task<TrainingTaskStatus> Cancel()
    {
        if (_state is TaskState.Running or TaskState.Paused or TaskState.Created)
        {
            _state = TaskState.Cancelled;
            if (_spec is not null)
            {
                await _inflight;
                await Codebook.Leave();
                _final = Result();
                ReportProgress();
            }
        }
        return Status();
    }

    public Task<TrainingTaskStatus> GetStatus() => Task.FromResult(Status());

    public Task<IReadOnlyList<TaskMetricPoint>> GetMetrics(long afterStep) => Task.FromResult(_log.After(afterStep));

    public Task<TaskResult> GetResult() => Task.FromResult(_final ?? Result());

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
            while (_state == TaskState.Running && !_deactivating && !cancellationToken.IsCancellationRequested && slice.Elapsed < TickSlice)
            {
                var runtime = Runtime ?? await SetUp();
                if (_state != TaskState.Running)
                {
                    break;
                }
                if (_rejoin)
                {
                    _rejoin = false;
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
            _state = TaskState.Failed;
            _error = e.Message;
            _final = Result();
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
        var checkpoint = await store.LoadLatestAsync(Scope);
        var runtime = await OnWorker(() =>
        {
            var context = sessions.Context(spec.RunSpecJson);
            var backbone = backbones.Get(context.BackboneDirectory);
            var created = sessions.Open(context, spec.TaskName, backbone);
            try
            {
                if (checkpoint is not null)
                {
                    created.Restore(checkpoint.Content.Parts[TaskPart], $"{Scope} {checkpoint.Info.ObjectName}");
                }
                return created;
            }
            catch
            {
                created.Dispose();
                throw;
            }
        });
        sessions.Add(Key, runtime);
        if (checkpoint?.Content.Parts.GetValueOrDefault(MetricsPart) is { } history)
        {
            // The points up to the checkpoint; the steps after it are trained (and reported) again.
            _log.Restore(MetricHistory.FromBytes(history, $"{Scope} {checkpoint.Info.ObjectName}"), runtime.Session.StepCount);
        }
        // A completed task stays completed unless the run was resumed with more steps.
        if (checkpoint?.Content.Metadata.GetValueOrDefault(StateKey) == nameof(TaskState.Completed) && runtime.Session.Finished)
        {
            _state = TaskState.Completed;
            _final = Result();
            return runtime;
        }
        if (checkpoint is not null)
        {
            logger.LogInformation("Task {Task} restored at step {Step} from {Checkpoint} on {Silo}", Key, runtime.Session.StepCount, checkpoint.Info.ObjectName, silo.Name);
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
            // The push's answer carries the codebooks it left the group at; after a rejoin (or from a group
            // without it) the task pulls them.
            var snapshot = result.Snapshot is { } carried && runtime.CodebookVersion == baseVersion
                ? carried
                : await Codebook.Snapshot(runtime.CodebookVersion);
            await RefreshCodebooks(runtime, snapshot);
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
        switch (PushRejections.Decide(result.Code, _state == TaskState.Running))
        {
            case PushRejection.Stop:
                _state = TaskState.Cancelled;
                _error = result.RejectReason;
                _final = Result();
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
        if (snapshot.Tensors is null && snapshot.Version == runtime.CodebookVersion)
        {
            return;
        }
        if (snapshot.Tensors is null)
        {
            // The group moved on since the caller asked (it cannot happen with `since` our version); take it whole.
            snapshot = await Codebook.Snapshot(-1);
        }
        await OnWorker(() =>
        {
            runtime.SetCodebooks(snapshot);
            return true;
        });
        _codebookVersion = runtime.CodebookVersion;
    }

    private async Task Finish(TaskRuntime runtime)
    {
        await Codebook.Leave();
        await SaveCheckpoint(runtime, TaskState.Completed);
        _state = TaskState.Completed;
        _final = Result();
        _timer?.Dispose();
        ReportProgress();
        logger.LogInformation("Task {Task} completed {Steps} steps", Key, runtime.Session.StepCount);
    }

    private async Task SaveCheckpoint(TaskRuntime runtime, TaskState state)
    {
        var bytes = await OnWorker(runtime.CaptureBytes);
        _checkpointBehind = await CheckpointSave.TryAsync(store, Scope, new CheckpointContent(
            new Dictionary<string, byte[]> { [TaskPart] = bytes, [MetricsPart] = MetricHistory.ToBytes(_log.Points) },
            new Dictionary<string, string>
            {
                ["step"] = runtime.Session.StepCount.ToString(CultureInfo.InvariantCulture),
                ["codebook_version"] = runtime.CodebookVersion.ToString(CultureInfo.InvariantCulture),
                [StateKey] = state.ToString(),
            }), logger);
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
        await CheckpointSave.TryAsync(store, new CheckpointScope(_spec!.JobId, CheckpointOwners.Best(_spec.TaskName)), new CheckpointContent(
            new Dictionary<string, byte[]> { [TaskPart] = task, [CheckpointParts.Codebook] = codebooks },
            new Dictionary<string, string>
            {
                [CheckpointParts.Step] = runtime.Session.StepCount.ToString(CultureInfo.InvariantCulture),
                [CheckpointParts.CodebookVersion] = runtime.CodebookVersion.ToString(CultureInfo.InvariantCulture),
            }), logger);
    }

    private TrainingTaskStatus Status() =>
        TaskReports.Status(GrainKeys.Split(Key).Name, _state, Runtime?.Session, _final, _log.StepsPerSecond, _codebookVersion, silo.Name, _error, _checkpointBehind);

    private TaskResult Result() => TaskReports.Result(GrainKeys.Split(Key).Name, _state, Runtime?.Session, _error);
}
