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
    ILogger<TaskGrain> logger) : Grain, ITaskGrain
{
    private const string TaskPart = CheckpointParts.Task;
    private const string MetricsPart = CheckpointParts.Metrics;
    private const string StateKey = CheckpointParts.State;
    private const int MaxPoints = 10_000;
    private static readonly TimeSpan TickSlice = TimeSpan.FromMilliseconds(250);

    private readonly List<TaskMetricPoint> _points = [];
    private readonly Stopwatch _rateWatch = new();
    private TaskSpec? _spec;
    private TaskState _state = TaskState.Created;
    private string? _error;
    private IGrainTimer? _timer;
    private Task _inflight = Task.CompletedTask;
    private bool _looping;
    private bool _deactivating;
    private bool _rejoin;
    private long _rateStartStep;
    private double _stepsPerSecond;
    private long _codebookVersion;
    private TaskResult? _final;
    private long _reportedStep;

    private string Key => this.GetPrimaryKeyString();

    private TaskRuntime? Runtime => sessions.Get(Key);

    private ICodebookGrain Codebook => GrainFactory.GetGrain<ICodebookGrain>(GrainKeys.Codebook(_spec!.JobId, _spec.CodebookGroup));

    private CheckpointScope Scope => new(_spec!.JobId, CheckpointOwners.Task(_spec.TaskName));

    private IJobGrain Job => GrainFactory.GetGrain<IJobGrain>(_spec!.JobId);

    public Task<TrainingTaskStatus> Start(TaskSpec spec)
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
            await Codebook.Leave(_spec!.TaskName);
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
                await Codebook.Leave(_spec.TaskName);
                _final = Result();
                ReportProgress();
            }
        }
        return Status();
    }

    public Task<TrainingTaskStatus> GetStatus() => Task.FromResult(Status());

    public Task<IReadOnlyList<TaskMetricPoint>> GetMetrics(long afterStep) =>
        Task.FromResult<IReadOnlyList<TaskMetricPoint>>(_points.Where(p => p.Step > afterStep).ToList());

    public Task<TaskResult> GetResult() => Task.FromResult(_final ?? Result());

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _deactivating = true;
        _timer?.Dispose();
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
                    await RefreshCodebooks(runtime, await Codebook.Join(_spec!.TaskName));
                }
                if (runtime.Session.Finished)
                {
                    await Finish(runtime);
                    break;
                }
                await TrainOneStep(runtime);
            }
        }
        catch (Exception e) when (!_deactivating)
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
            await Codebook.Leave(_spec!.TaskName);
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
            _points.Clear();
            _points.AddRange(MetricHistory.FromBytes(history, $"{Scope} {checkpoint.Info.ObjectName}"));
            // Reported by the activation that recorded them.
            _reportedStep = _points.Count > 0 ? _points[^1].Step : 0;
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
        await RefreshCodebooks(runtime, await Codebook.Join(spec.TaskName));
        _rateWatch.Restart();
        _rateStartStep = runtime.Session.StepCount;
        return runtime;
    }

    private async Task TrainOneStep(TaskRuntime runtime)
    {
        var spec = _spec!;
        var baseVersion = runtime.CodebookVersion;
        var report = await OnWorker(runtime.Step);
        metrics.RecordStep(spec.JobId, spec.TaskName, report.Loss, report.Seconds, report.Seconds > 0 ? report.Tokens / report.Seconds : 0);
        AddPoint(new TaskMetricPoint(report.Step, report.Loss, report.LearningRate, null, baseVersion));
        UpdateRate(report.Step);

        if (!runtime.Session.CodebooksFrozen)
        {
            var push = new GradientPush(spec.TaskName, baseVersion, report.Step, report.Gradients, 1f, report.Skipped);
            var result = await Codebook.PushGradient(push);
            if (!result.Accepted)
            {
                await OnRejected(runtime, push, result);
            }
            // The push's answer carries the codebooks it left the group at; after a rejoin (or from a group
            // without it) the task pulls them.
            var snapshot = result.Snapshot is { } carried && runtime.CodebookVersion == baseVersion
                ? carried
                : await Codebook.GetSnapshot(runtime.CodebookVersion);
            await RefreshCodebooks(runtime, snapshot);
        }

        if (runtime.Session.EvaluationDue)
        {
            var evaluation = await OnWorker(runtime.Evaluate);
            metrics.RecordEvaluation(spec.JobId, spec.TaskName, MetricNames.Of(evaluation.Metric), evaluation.Value);
            if (_points.Count > 0 && _points[^1].Step == evaluation.Step)
            {
                _points[^1] = _points[^1] with { Metric = evaluation.Value };
            }
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

    private async Task OnRejected(TaskRuntime runtime, GradientPush push, PushResult result)
    {
        switch (result.Code)
        {
            case PushRejectCode.Closed:
                _state = TaskState.Cancelled;
                _error = result.RejectReason;
                _final = Result();
                return;
            case PushRejectCode.Duplicate:
                logger.LogInformation("Task {Task}: step {Step} already counted by the group", Key, push.Step);
                return;
            case PushRejectCode.UnknownTask or PushRejectCode.TooStale or PushRejectCode.FutureVersion when _state != TaskState.Running:
                // Paused or cancelled meanwhile: it left the group on purpose.
                return;
            case PushRejectCode.UnknownTask or PushRejectCode.TooStale or PushRejectCode.FutureVersion:
                // Dropped after a timeout, a restarted group, or a restored task behind the group: rejoin and pull.
                logger.LogInformation("Task {Task}: push of step {Step} rejected ({Code}: {Reason}); rejoining", Key, push.Step, result.Code, result.RejectReason);
                await RefreshCodebooks(runtime, await Codebook.Join(_spec!.TaskName));
                return;
            default:
                throw new InvalidOperationException($"Codebook group '{_spec!.CodebookGroup}' rejected step {push.Step} of task '{_spec.TaskName}': {result.Code}: {result.RejectReason}");
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
            snapshot = await Codebook.GetSnapshot(-1);
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
        await Codebook.Leave(_spec!.TaskName);
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
        await store.SaveAsync(Scope, new CheckpointContent(
            new Dictionary<string, byte[]> { [TaskPart] = bytes, [MetricsPart] = MetricHistory.ToBytes(_points) },
            new Dictionary<string, string>
            {
                ["step"] = runtime.Session.StepCount.ToString(CultureInfo.InvariantCulture),
                ["codebook_version"] = runtime.CodebookVersion.ToString(CultureInfo.InvariantCulture),
                [StateKey] = state.ToString(),
            }));
    }

    /// <summary>
    /// Tells the job (one-way: a step never waits on it) this task's status and the points recorded since the
    /// last report; each is final by now (the step's evaluation, when due, is in it).
    /// </summary>
    private void ReportProgress()
    {
        var first = _points.Count;
        while (first > 0 && _points[first - 1].Step > _reportedStep)
        {
            first--;
        }
        var fresh = _points.GetRange(first, _points.Count - first);
        _reportedStep = fresh.Count > 0 ? fresh[^1].Step : _reportedStep;
        Job.ReportProgress(Status(), fresh).Ignore();
    }

    /// <summary>The task and the codebooks it was evaluated with, in the best-task scope, as the in-process trainer keeps them.</summary>
    private async Task SaveBestCheckpoint(TaskRuntime runtime)
    {
        var (task, codebooks) = await OnWorker(runtime.CaptureBest);
        await store.SaveAsync(new CheckpointScope(_spec!.JobId, CheckpointOwners.Best(_spec.TaskName)), new CheckpointContent(
            new Dictionary<string, byte[]> { [TaskPart] = task, [CheckpointParts.Codebook] = codebooks },
            new Dictionary<string, string>
            {
                [CheckpointParts.Step] = runtime.Session.StepCount.ToString(CultureInfo.InvariantCulture),
                [CheckpointParts.CodebookVersion] = runtime.CodebookVersion.ToString(CultureInfo.InvariantCulture),
            }));
    }

    private void AddPoint(TaskMetricPoint point)
    {
        _points.Add(point);
        if (_points.Count > MaxPoints)
        {
            _points.RemoveRange(0, _points.Count - MaxPoints);
        }
    }

    private void UpdateRate(long step)
    {
        var seconds = _rateWatch.Elapsed.TotalSeconds;
        if (seconds > 0)
        {
            _stepsPerSecond = (step - _rateStartStep) / seconds;
        }
        if (seconds > 10)
        {
            _rateWatch.Restart();
            _rateStartStep = step;
        }
    }

    private TrainingTaskStatus Status()
    {
        var session = Runtime?.Session;
        var (_, taskName) = GrainKeys.Split(Key);
        return new TrainingTaskStatus(
            taskName,
            _state,
            session?.StepCount ?? _final?.Steps ?? 0,
            session?.TotalSteps ?? 0,
            session?.LastLoss ?? _final?.FinalLoss,
            session?.LastMetric,
            (session is null ? null : MetricNames.Of(session.Metric)),
            _state == TaskState.Running ? _stepsPerSecond : 0,
            _codebookVersion,
            silo.Name,
            _error);
    }

    private TaskResult Result()
    {
        var session = Runtime?.Session;
        var (_, taskName) = GrainKeys.Split(Key);
        return new TaskResult(
            taskName,
            session?.StepCount ?? 0,
            session?.RecentLoss,
            session?.BestMetric,
            (session is null ? null : MetricNames.Of(session.Metric)),
            session?.MajorityBaseline,
            session?.Tokens ?? 0,
            _state,
            session?.BestStep,
            session?.InitialLoss,
            _error,
            session?.SkippedSteps ?? 0);
    }
}
