using System.Text.Json;
using Accept.GrainInterfaces;
using Accept.GrainInterfaces.Codebooks;
using Accept.GrainInterfaces.Jobs;
using Accept.GrainInterfaces.Tasks;
using Accept.Grains.Checkpoints;
using Accept.Training.Checkpointing.Store;
using Accept.Grains.Placement;
using Accept.Grains.Hosting;
using Accept.Training.Config;
using Accept.Training.T5;
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
    private readonly Dictionary<string, CodebookStatus> _groupStatus = new(StringComparer.Ordinal);
    private IGrainTimer? _ensureRunning;
    private bool _ensuring;
    private readonly SerializedCheckpointWriter _writer = new(store, logger);

    private string JobId => this.GetPrimaryKeyString();

    private CheckpointScope Scope => new(JobId, CheckpointOwners.Job);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!CheckpointIdentifier.IsValid(JobId))
        {
            return;
        }
        var loaded = await store.LoadLatestAsync(Scope, cancellationToken);
        if (loaded is not null)
        {
            _record = JsonSerializer.Deserialize<JobRecord>(loaded.Content.Parts[RecordPart]);
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
        var spec = Validate(submission.RunSpecJson);
        _record = new JobRecord
        {
            RunSpecJson = submission.RunSpecJson,
            SubmittedBy = submission.SubmittedBy,
            State = JobState.Running,
            StartedUtc = DateTimeOffset.UtcNow,
            Tasks = spec.Tasks.Select(t => KeyValuePair.Create(t.Name, t.CodebookGroup)).ToList(),
            Groups = spec.CodebookGroups.Keys.ToList(),
            CheckpointEvery = spec.CheckpointEvery,
        };
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
            _record.State = JobState.Failed;
            _record.Error = $"Starting job '{JobId}' failed: {e.Message}";
            _record.FinishedUtc = DateTimeOffset.UtcNow;
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
        var tasks = new List<TrainingTaskStatus>();
        foreach (var (task, _) in record.Tasks)
        {
            if (record.LastStatus.TryGetValue(task, out var status))
            {
                tasks.Add(status);
            }
        }
        var groups = new List<CodebookStatus>();
        foreach (var group in record.Groups)
        {
            if (await TryGetGroupStatus(group) is { } status)
            {
                _groupStatus[group] = status;
            }
            if (_groupStatus.TryGetValue(group, out var known))
            {
                groups.Add(known);
            }
        }
        return new JobStatus(JobId, record.State, tasks, groups, record.StartedUtc, record.FinishedUtc, record.Error);
    }

    public Task Subscribe(IJobObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    /// <summary>
    /// A group's status, or null (its last known status stands) when it does not answer within
    /// <see cref="StatusTimeout"/>: its silo died and it has not come back from its checkpoint yet.
    /// </summary>
    private async Task<CodebookStatus?> TryGetGroupStatus(string group)
    {
        try
        {
            return await Group(group).GetStatus().WaitAsync(StatusTimeout);
        }
        catch (Exception e) when (e is TimeoutException or OrleansMessageRejectionException or SiloUnavailableException)
        {
            logger.LogWarning("Job {Job}: codebook group {Group} did not answer its status ({Error}); showing the last known one", JobId, group, e.Message);
            return null;
        }
    }

    public Task Unsubscribe(IJobObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public Task ReportProgress(TrainingTaskStatus status, IReadOnlyList<TaskMetricPoint> points)
    {
        // A task's final status stays as the job recorded it when it ended.
        if (_record is { } record && record.Tasks.Any(t => t.Key == status.TaskName) && !record.Finished.ContainsKey(status.TaskName))
        {
            record.LastStatus[status.TaskName] = status;
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
            foreach (var (task, _) in record.Tasks.Where(t => !record.Finished.ContainsKey(t.Key)))
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
        var results = new List<TaskResult>();
        foreach (var (task, _) in record.Tasks)
        {
            results.Add(record.Finished.TryGetValue(task, out var done) ? done : await TaskGrainOf(task).GetResult());
        }
        var wall = ((record.FinishedUtc ?? DateTimeOffset.UtcNow) - (record.StartedUtc ?? DateTimeOffset.UtcNow)).TotalSeconds;
        return new JobResults(JobId, record.State, results, wall, wall > 0 ? results.Sum(r => r.Tokens) / wall : 0);
    }

    /// <summary>Reads the spec, and checks the method against the backbone's width when the backbone is visible here.</summary>
    private static RunSpec Validate(string runSpecJson)
    {
        try
        {
            var spec = RunSpecReader.Parse(runSpecJson, "run spec");
            if (spec.Tasks.Count == 0)
            {
                throw new SpecException("run spec: tasks: at least one task is required");
            }
            if (spec.Backbone is null)
            {
                throw new SpecException("run spec: backbone: a backbone directory is required to train (`accept model init --out DIR` makes an untrained one)");
            }
            var config = Path.Combine(Path.GetFullPath(spec.Backbone), "config.json");
            if (File.Exists(config))
            {
                var backbone = T5Config.Load(config);
                spec.Method.ToLayout(backbone.DModel);
                StepMemoryEstimate.EnsureFits(spec, backbone);
            }
            return spec;
        }
        catch (Exception e) when (e is SpecException or ArgumentException or FormatException or InvalidDataException or IOException)
        {
            // Only plain exception types cross the wire intact: the message names the key at fault.
            throw new ArgumentException(e.Message);
        }
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
            var changed = false;
            foreach (var (task, group) in record.Tasks.Where(t => !record.Finished.ContainsKey(t.Key)))
            {
                TrainingTaskStatus status;
                try
                {
                    // Start is idempotent; on a task whose silo died it reactivates the grain, which restores its checkpoint.
                    status = await TaskGrainOf(task).Start(AssignmentOf(task, group));
                }
                catch (Exception e)
                {
                    logger.LogWarning(e, "Job {Job}: task {Task} did not answer; retrying", JobId, task);
                    continue;
                }
                record.LastStatus[task] = status;
                if (status.State is TaskState.Completed or TaskState.Cancelled or TaskState.Failed)
                {
                    record.Finished[task] = await TaskGrainOf(task).GetResult();
                    changed = true;
                }
            }
            if (record.State != JobState.Running)
            {
                return;
            }
            if (record.Finished.Count == record.Tasks.Count)
            {
                var failed = record.Finished.Values.Where(r => r.State == TaskState.Failed).ToList();
                await End(failed.Count > 0 ? JobState.Failed : JobState.Completed,
                    failed.Count > 0 ? string.Join("; ", failed.Select(f => $"task '{f.TaskName}' failed: {f.Error}")) : null);
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
        record.State = state;
        record.Error = error;
        record.FinishedUtc = DateTimeOffset.UtcNow;
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
            new Dictionary<string, byte[]> { [RecordPart] = JsonSerializer.SerializeToUtf8Bytes(_record) },
            new Dictionary<string, string> { ["state"] = _record!.State.ToString() });
        return _writer.Save(Scope, content);
    }

    private TaskAssignment AssignmentOf(string task, string group) => new(JobId, task, group, _record!.RunSpecJson, _record.CheckpointEvery);

    private ITaskGrain TaskGrainOf(string task) => GrainFactory.GetGrain<ITaskGrain>(GrainKeys.Task(JobId, task));

    private ICodebookGrain Group(string group) => GrainFactory.GetGrain<ICodebookGrain>(GrainKeys.Codebook(JobId, group));

    private JobRecord RequireRecord() => _record ?? throw new InvalidOperationException($"Job '{JobId}' has not been submitted.");
}
