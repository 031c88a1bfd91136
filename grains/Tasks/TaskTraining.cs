using Accept.GrainInterfaces;
using Accept.GrainInterfaces.Codebooks;
using Accept.GrainInterfaces.Tasks;
using Accept.Grains.Execution;
using Accept.Grains.Telemetry;
using Accept.Training.MultiTask;
using Microsoft.Extensions.Logging;

namespace Accept.Grains.Tasks;

/// <summary>
/// One task's training protocol on a worker silo, without Orleans. Set-up: the latest checkpoint restored (its
/// metric history too; a task saved as completed stays completed unless the run was resumed with more steps),
/// then the group joined and its codebooks taken. A step: trained on the silo's <see cref="StepWorker"/>, its
/// gradients pushed, a refusal acted on (<see cref="PushRejections"/>), the codebooks the group answers with
/// taken (pulled after a rejoin), evaluated when due (the best kept in the best-task scope), and checkpointed
/// every checkpoint_every steps. Finishing: the group left and a final checkpoint saved. The task grain drives it
/// from its timer (<see cref="AdvanceAsync"/>) and does the Orleans parts (retiring the activation, reporting
/// progress to the job).
/// </summary>
public sealed class TaskTraining(TaskAssignment spec, StepWorker worker, ICodebookGroupLink codebook, TaskCheckpoints checkpoints,
    TaskLifecycle lifecycle, TaskMetricLog log, AcceptMetrics? metrics, ILogger logger)
{
    private readonly string _key = GrainKeys.Task(spec.JobId, spec.TaskName);

    /// <summary>The work last handed to the step worker (a session must not be disposed under it).</summary>
    public Task Inflight { get; private set; } = Task.CompletedTask;

    /// <summary>Set when the activation deactivates: a step whose push was refused records nothing more.</summary>
    public bool Stopping { get; set; }

    /// <summary>Why the last checkpoint did not reach the store (an outage; the next checkpoint saves again), or null.</summary>
    public string? CheckpointBehind => checkpoints.Behind;

    /// <summary>The codebook version the task last took.</summary>
    public long CodebookVersion { get; private set; }

    /// <summary>Opens the task's runtime with <paramref name="open"/> on the step worker from the latest checkpoint (or none), then joins the group.</summary>
    /// <param name="opened">Registers the runtime (before anything else can fail).</param>
    public async Task<TaskRuntime> SetUpAsync(Func<TaskRestorePoint?, TaskRuntime> open, Action<TaskRuntime> opened, string silo)
    {
        var checkpoint = await checkpoints.LoadLatestAsync();
        var runtime = await OnWorker(() => open(checkpoint));
        opened(runtime);
        if (checkpoint?.History is { } history)
        {
            // The points up to the checkpoint; the steps after it are trained (and reported) again.
            log.Restore(history, runtime.Session.StepCount);
        }
        if (checkpoint is { Completed: true } && runtime.Session.Finished)
        {
            lifecycle.End(TaskState.Completed, runtime.Session);
            return runtime;
        }
        if (checkpoint is not null)
        {
            logger.LogInformation("Task {Task} restored at step {Step} from {Checkpoint} on {Silo}", _key, runtime.Session.StepCount, checkpoint.ObjectName, silo);
        }
        await RejoinAsync(runtime);
        log.StartWindow(runtime.Session.StepCount);
        return runtime;
    }

    /// <summary>
    /// One move of the task's loop: set up (<paramref name="setUp"/>) when the activation has no runtime yet, rejoin the
    /// group after a pause, finish after the last step, else one step.
    /// </summary>
    public async Task<TaskAdvance> AdvanceAsync(TaskRuntime? runtime, Func<Task<TaskRuntime>> setUp)
    {
        runtime ??= await setUp();
        if (!lifecycle.Running)
        {
            // Set-up found the task completed (or it was paused or cancelled meanwhile).
            return TaskAdvance.Stopped;
        }
        if (lifecycle.TakeRejoin())
        {
            await RejoinAsync(runtime);
        }
        if (runtime.Session.Finished)
        {
            await FinishAsync(runtime);
            return TaskAdvance.Finished;
        }
        return await StepAsync(runtime) ? TaskAdvance.Stepped : TaskAdvance.Retired;
    }

    /// <summary>Joins the group again and takes its current codebooks.</summary>
    public async Task RejoinAsync(TaskRuntime runtime) => await RefreshCodebooks(runtime, await codebook.Join());

    /// <summary>One step with its push, evaluation and checkpoint.</summary>
    /// <returns>
    /// False when the group says a newer activation of the task took over (this one records nothing more and retires),
    /// or when the push was refused while the activation was <see cref="Stopping"/>.
    /// </returns>
    public async Task<bool> StepAsync(TaskRuntime runtime)
    {
        var baseVersion = runtime.CodebookVersion;
        var report = await OnWorker(runtime.Step);
        metrics?.RecordStep(spec.JobId, spec.TaskName, report.Loss, report.Seconds, report.Seconds > 0 ? report.Tokens / report.Seconds : 0);
        log.Stepped(report.Step, report.Loss, report.LearningRate, baseVersion);

        if (!runtime.Session.CodebooksFrozen)
        {
            var result = await codebook.Push(baseVersion, report.Step, report.Gradients, report.Skipped);
            if (!result.Accepted && (!await OnRejected(runtime, report.Step, result) || Stopping))
            {
                return false;
            }
            // The push's answer carries the codebooks it left the group at; after a rejoin (or from a group without it) the task pulls them.
            await RefreshCodebooks(runtime, result.Snapshot is { } carried && runtime.CodebookVersion == baseVersion
                ? carried
                : await codebook.Snapshot(runtime.CodebookVersion));
        }

        if (runtime.Session.EvaluationDue)
        {
            var evaluation = await OnWorker(runtime.Evaluate);
            metrics?.RecordEvaluation(spec.JobId, spec.TaskName, MetricNames.Of(evaluation.Metric), evaluation.Value);
            log.Evaluated(evaluation.Step, evaluation.Value);
            if (evaluation.IsBest)
            {
                // The task and the codebooks it was evaluated with, as the in-process trainer keeps them.
                var (task, codebooks) = await OnWorker(runtime.CaptureBest);
                await checkpoints.SaveBestAsync(task, codebooks, runtime.Session.StepCount, runtime.CodebookVersion);
            }
        }
        if (spec.CheckpointEvery > 0 && report.Step % spec.CheckpointEvery == 0 && !runtime.Session.Finished)
        {
            await SaveCheckpoint(runtime, TaskState.Running);
        }
        return true;
    }

    /// <summary>Leaves the group, saves the final checkpoint and completes the task.</summary>
    public async Task FinishAsync(TaskRuntime runtime)
    {
        await codebook.Leave();
        await SaveCheckpoint(runtime, TaskState.Completed);
        lifecycle.End(TaskState.Completed, runtime.Session);
        logger.LogInformation("Task {Task} completed {Steps} steps", _key, runtime.Session.StepCount);
    }

    /// <summary>After a failure: leaves the group (within 30 s), so a failed task does not hold up its sync rounds; the group may itself be what failed.</summary>
    public async Task LeaveAfterFailureAsync()
    {
        try
        {
            await codebook.Leave().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Task {Task}: could not leave its codebook group after failing", _key);
        }
    }

    public Task<T> OnWorker<T>(Func<T> work)
    {
        var task = worker.RunAsync(work);
        Inflight = task;
        return task;
    }

    /// <returns>False when the activation retires.</returns>
    private async Task<bool> OnRejected(TaskRuntime runtime, long step, PushResult result)
    {
        switch (PushRejections.Decide(result.Code, lifecycle.Running))
        {
            case PushRejection.Stop:
                lifecycle.End(TaskState.Cancelled, runtime.Session, result.RejectReason);
                return true;
            case PushRejection.Retire:
                // Its silo was declared dead and a newer activation took over: nothing of this one may count.
                logger.LogWarning("Task {Task}: step {Step} refused, a newer activation took over ({Reason}); retiring this one", _key, step, result.RejectReason);
                return false;
            case PushRejection.Ignore:
                logger.LogInformation("Task {Task}: push of step {Step} not counted ({Code})", _key, step, result.Code);
                return true;
            case PushRejection.Rejoin:
                logger.LogInformation("Task {Task}: push of step {Step} rejected ({Code}: {Reason}); rejoining", _key, step, result.Code, result.RejectReason);
                await RejoinAsync(runtime);
                return true;
            default:
                throw new InvalidOperationException($"Codebook group '{spec.CodebookGroup}' rejected step {step} of task '{spec.TaskName}': {result.Code}: {result.RejectReason}");
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
            snapshot = await codebook.Snapshot(-1);
        }
        await OnWorker(() =>
        {
            runtime.SetCodebooks(snapshot);
            return true;
        });
        CodebookVersion = runtime.CodebookVersion;
    }

    private async Task SaveCheckpoint(TaskRuntime runtime, TaskState state)
    {
        var bytes = await OnWorker(runtime.CaptureBytes);
        await checkpoints.SaveAsync(bytes, log.Points, runtime.Session.StepCount, runtime.CodebookVersion, state);
    }
}

/// <summary>What one <see cref="TaskTraining.AdvanceAsync"/> did.</summary>
public enum TaskAdvance
{
    /// <summary>A step ran (the task may have stopped on its push's refusal: see the lifecycle).</summary>
    Stepped,

    /// <summary>The last step was done: the group is left, the final checkpoint saved, the task completed.</summary>
    Finished,

    /// <summary>A newer activation took the task over (or the activation is stopping): this one records nothing more.</summary>
    Retired,

    /// <summary>Nothing to do: the task is not running (set-up found it completed, or it was paused or cancelled).</summary>
    Stopped,
}
