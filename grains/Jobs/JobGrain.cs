using Accept.GrainInterfaces;
using Accept.GrainInterfaces.Codebooks;
using Accept.GrainInterfaces.Jobs;
using Accept.GrainInterfaces.Tasks;
using Accept.Grains.Checkpoints;
using Accept.Training.Checkpointing.Store;
using Accept.Grains.Placement;
using Accept.Grains.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Utilities;

namespace Accept.Grains.Jobs;

/// <summary>
/// A run: validates the spec, creates its codebook groups, starts its task grains and keeps them running.
/// Its record is saved to the checkpoint store on every change, so a reactivated job grain (its silo died)
/// carries on. Progress flows one way: each task grain reports its status and new metric points
/// (<see cref="ReportProgress"/>), the job keeps the latest status per task and publishes every report to its
/// observers (<see cref="IJobObserver"/>: clients, sweeps). Every <c>JobPollSeconds</c>,
/// <see cref="EnsureTasksRunning"/> calls each unfinished task's idempotent Start — which reactivates, from its
/// checkpoint on another worker, a task whose silo died — and collects the results of tasks that ended.
/// </summary>
[PreferCoordinatorPlacement]
public sealed class JobGrain(ICheckpointStore store, IOptions<AcceptSiloOptions> options, ILogger<JobGrain> logger) : Grain, IJobGrain
{
    private const string RecordPart = "job";
    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(5);

    private readonly ObserverManager<IJobObserver> _observers = new(JobSubscription.Lifetime, logger);
    private JobRecord? _record;
    private GroupStatusBoard? _groupStatuses;
    private IGrainTimer? _ensureRunning;
    private bool _ensuring;
    private readonly SerializedCheckpointWriter _writer = new(store, logger);

    private string JobId => this.GetPrimaryKeyString();

    private CheckpointScope Scope => new(JobId, CheckpointOwners.Job);

    /// <summary>A group that does not answer within <see cref="StatusTimeout"/> shows its last known status.</summary>
    private GroupStatusBoard GroupStatuses => _groupStatuses ??= new(group => Group(group).GetStatus(), StatusTimeout, (group, e) =>
        logger.LogWarning("Job {Job}: codebook group {Group} did not answer its status ({Error}); showing the last known one", JobId, group, e.Message));

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!CheckpointIdentifier.IsValid(JobId))
        {
            return;
        }
        var loaded = await store.LoadLatestAsync(Scope, cancellationToken);
        if (loaded is not null)
        {
            _record = JobRecord.FromJson(loaded.Content.Parts[RecordPart]);
            if (_record?.State == JobState.Running)
            {
                StartEnsuringTasksRun();
            }
        }
    }

    public async Task<JobStatus> Submit(JobSubmission submission)
    {
        CheckpointIdentifier.Validate(JobId, "job id");
        if (_record is not null)
        {
            if (_record.RunSpecJson != submission.RunSpecJson)
            {
                throw new ArgumentException($"Job '{JobId}' already exists with a different run spec; choose another job id.");
            }
            return await GetStatus();
        }
        _record = JobRecord.Start(submission, JobSpecValidation.Validate(submission.RunSpecJson), DateTimeOffset.UtcNow);
        try
        {
            var roundTimeout = TimeSpan.FromSeconds(options.Value.RoundTimeoutSeconds);
            foreach (var group in _record.Groups)
            {
                await Group(group).Initialize(new CodebookGroupSpec(JobId, group, submission.RunSpecJson, roundTimeout,
                    options.Value.RoundDeadlineMs > 0 ? TimeSpan.FromMilliseconds(options.Value.RoundDeadlineMs) : null));
            }
            await Save();
            foreach (var (task, group) in _record.Tasks)
            {
                _record.LastStatus[task] = await TaskGrainOf(task).Start(AssignmentOf(task, group));
            }
        }
        catch (Exception e)
        {
            _record.End(JobState.Failed, $"Starting job '{JobId}' failed: {e.Message}", DateTimeOffset.UtcNow);
            await Save();
            throw new InvalidOperationException(_record.Error);
        }
        StartEnsuringTasksRun();
        logger.LogInformation("Job {Job} submitted: {Tasks} tasks in {Groups} groups", JobId, _record.Tasks.Count, _record.Groups.Count);
        return await GetStatus();
    }

    public Task<CheckpointStoreInfo> GetCheckpointStore() =>
        Task.FromResult(new CheckpointStoreInfo(store.Location.Kind.ToString(), store.Location.Root, store.Location.Container));

    /// <summary>The job's state and the latest status each task reported (no call to the tasks).</summary>
    public async Task<JobStatus> GetStatus()
    {
        var record = RequireRecord();
        await _writer.Completion;
        var groups = await GroupStatuses.ReadAsync(record.Groups);
        return new JobStatus(JobId, record.State, record.Statuses(), groups, record.StartedUtc, record.FinishedUtc, record.Error);
    }

    public Task Subscribe(IJobObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    public Task Unsubscribe(IJobObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public Task ReportProgress(TrainingTaskStatus status, IReadOnlyList<TaskMetricPoint> points)
    {
        if (_record is { } record && record.Report(status))
        {
            Publish(new JobProgress(JobId, record.State, status, points, record.Error));
        }
        return Task.CompletedTask;
    }

    private void Publish(JobProgress progress) => _observers.Notify(observer => observer.OnProgress(progress));

    public async Task<JobStatus> Cancel()
    {
        var record = RequireRecord();
        if (record.State == JobState.Running)
        {
            record.State = JobState.Cancelled;
            _ensureRunning?.Dispose();
            foreach (var (task, _) in record.Unfinished())
            {
                record.LastStatus[task] = await TaskGrainOf(task).Cancel();
                record.Finished[task] = await TaskGrainOf(task).GetResult();
            }
            await End(JobState.Cancelled, null);
        }
        return await GetStatus();
    }

    public async Task<JobResults> GetResults()
    {
        var record = RequireRecord();
        await _writer.Completion;
        return await record.ResultsAsync(JobId, task => TaskGrainOf(task).GetResult(), DateTimeOffset.UtcNow);
    }

    private void StartEnsuringTasksRun()
    {
        _ensureRunning?.Dispose();
        var period = TimeSpan.FromSeconds(options.Value.JobPollSeconds);
        _ensureRunning = this.RegisterGrainTimer(EnsureTasksRunning, new GrainTimerCreationOptions { DueTime = period, Period = period, Interleave = true, KeepAlive = true });
    }

    /// <summary>
    /// Calls every unfinished task's idempotent Start (reactivating, from its checkpoint, a task whose silo died)
    /// and records the results of the tasks that ended; ends the job once every task has.
    /// </summary>
    private async Task EnsureTasksRunning(CancellationToken cancellationToken)
    {
        var record = _record;
        if (_ensuring || record is null || record.State != JobState.Running)
        {
            return;
        }
        _ensuring = true;
        try
        {
            // Start is idempotent; on a task whose silo died it reactivates the grain, which restores its checkpoint.
            var changed = await TaskKeepAlive.PassAsync(record, (task, group) => TaskGrainOf(task).Start(AssignmentOf(task, group)), task => TaskGrainOf(task).GetResult(),
                (task, e) => logger.LogWarning(e, "Job {Job}: task {Task} did not answer; retrying", JobId, task));
            if (record.State != JobState.Running)
            {
                return;
            }
            if (record.Outcome() is { } outcome)
            {
                await End(outcome.State, outcome.Error);
            }
            else if (changed)
            {
                await Save();
            }
        }
        finally
        {
            _ensuring = false;
        }
    }

    private async Task End(JobState state, string? error)
    {
        var record = RequireRecord();
        record.End(state, error, DateTimeOffset.UtcNow);
        _ensureRunning?.Dispose();
        // Durable first: whoever sees the final state can rely on the stored record.
        await Save();
        Publish(new JobProgress(JobId, state, null, [], error));
        foreach (var group in record.Groups)
        {
            await Group(group).Close();
        }
        logger.LogInformation("Job {Job} ended: {State}", JobId, state);
    }

    /// <summary>Serialises the record now; status calls wait for the write, so no caller sees a state that is not yet durable.</summary>
    private Task Save()
    {
        var content = new CheckpointContent(
            new Dictionary<string, byte[]> { [RecordPart] = _record!.ToJson() },
            new Dictionary<string, string> { ["state"] = _record!.State.ToString() });
        return _writer.Save(Scope, content);
    }

    private TaskAssignment AssignmentOf(string task, string group) => new(JobId, task, group, _record!.RunSpecJson, _record.CheckpointEvery);

    private ITaskGrain TaskGrainOf(string task) => GrainFactory.GetGrain<ITaskGrain>(GrainKeys.Task(JobId, task));

    private ICodebookGrain Group(string group) => GrainFactory.GetGrain<ICodebookGrain>(GrainKeys.Codebook(JobId, group));

    private JobRecord RequireRecord() => _record ?? throw new InvalidOperationException($"Job '{JobId}' has not been submitted.");
}
