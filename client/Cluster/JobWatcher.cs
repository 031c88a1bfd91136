using Accept.GrainInterfaces;
using Accept.GrainInterfaces.Jobs;
using Accept.GrainInterfaces.Tasks;
using Accept.Training.Runs;

namespace Accept.Client.Cluster;

/// <summary>
/// Follows one job from the client: its status, and every task's metric points, which it appends to the run's
/// <c>metrics.jsonl</c> in step order as they arrive (each point fetched once, so the file matches what an
/// in-process run writes).
/// </summary>
public sealed class JobWatcher(IClusterClient client, string jobId)
{
    /// <summary>How long the watch rides out a silo that cannot be reached before it gives up.</summary>
    private static readonly TimeSpan UnreachableGrace = TimeSpan.FromMinutes(2);

    private readonly Dictionary<string, TaskProgress> _tasks = new(StringComparer.Ordinal);

    public string JobId { get; } = jobId;

    public IJobGrain Job => client.GetGrain<IJobGrain>(JobId);

    /// <summary>What has been collected per task so far.</summary>
    public IReadOnlyDictionary<string, TaskProgress> Tasks => _tasks;

    public Task<JobStatus> GetStatusAsync() => Job.GetStatus();

    /// <summary>
    /// Fetches every task's new points and appends them to <paramref name="run"/> (when given) as the in-process
    /// trainer writes them: a loss record per step, and a separate metric record where the task evaluated.
    /// </summary>
    public async Task CollectMetricsAsync(JobStatus status, RunDirectory? run)
    {
        var fetched = await Task.WhenAll(status.Tasks.Select(async task =>
        {
            var progress = Progress(task.TaskName);
            // The newest point gets its metric after the step's evaluation, so it is fetched once more.
            var points = await client.GetGrain<ITaskGrain>(GrainKeys.Task(JobId, task.TaskName)).GetMetrics(Math.Max(0, progress.LastStep - 1));
            return (Task: task, Progress: progress, Points: points);
        }));
        foreach (var (task, progress, points) in fetched)
        {
            progress.MetricName = task.MetricName ?? progress.MetricName;
            foreach (var point in points.OrderBy(p => p.Step))
            {
                if (point.Step > progress.LastStep)
                {
                    progress.AddStep(point.Step, point.Loss);
                    run?.Append(new MetricRecord(point.Step, task.TaskName, double.IsFinite(point.Loss) ? point.Loss : null, point.LearningRate,
                        CodebookVersion: point.CodebookVersion));
                }
                if (point.Metric is { } metric && point.Step > progress.LastMetricStep)
                {
                    progress.AddMetric(point.Step, metric);
                    run?.Append(new MetricRecord(point.Step, task.TaskName, Metric: metric, MetricName: progress.MetricName));
                }
            }
        }
    }

    /// <summary>Polls until the job is Completed, Cancelled or Failed, collecting metrics and reporting each status.</summary>
    /// <param name="cancel">
    /// With <paramref name="cancelJobOnStop"/>, firing cancels the job on the cluster once and the watch goes on until the
    /// cluster confirms; without, it only stops watching (<see cref="OperationCanceledException"/>).
    /// </param>
    public async Task<JobStatus> WatchAsync(RunDirectory? run, Action<JobStatus> report, TimeSpan interval, CancellationToken cancel, bool cancelJobOnStop = true)
    {
        var cancelSent = false;
        DateTime? unreachableSince = null;
        while (true)
        {
            if (cancel.IsCancellationRequested)
            {
                if (!cancelJobOnStop)
                {
                    cancel.ThrowIfCancellationRequested();
                }
                if (!cancelSent)
                {
                    cancelSent = true;
                    await Job.Cancel();
                }
            }
            try
            {
                var status = await GetStatusAsync();
                await CollectMetricsAsync(status, run);
                unreachableSince = null;
                report(status);
                if (IsFinal(status.State))
                {
                    return status;
                }
            }
            catch (Exception e) when (e is OrleansMessageRejectionException or TimeoutException)
            {
                // A silo died and is not yet declared dead: its task grains reactivate elsewhere once it is, so the
                // next round asks again; the steps are fetched then.
                unreachableSince ??= DateTime.UtcNow;
                if (DateTime.UtcNow - unreachableSince > UnreachableGrace)
                {
                    throw;
                }
            }
            try
            {
                await Task.Delay(interval, cancelSent ? CancellationToken.None : cancel);
            }
            catch (OperationCanceledException)
            {
                // Stopped: the next round cancels the job or stops watching.
            }
        }
    }

    /// <summary>The job's status; an <see cref="ArgumentException"/> naming the id when the cluster has no such job.</summary>
    public static async Task<JobStatus> RequireSubmittedAsync(IJobGrain job, string cluster)
    {
        var id = job.GetPrimaryKeyString();
        try
        {
            var status = await job.GetStatus();
            return status.State == JobState.Created && status.Tasks.Count == 0
                ? throw new ArgumentException($"--job {id}: no such job on {cluster}.")
                : status;
        }
        catch (InvalidOperationException e)
        {
            // The job grain answers this way for an id nobody submitted.
            throw new ArgumentException($"--job {id}: no such job on {cluster} ({e.Message})", e);
        }
    }

    public static bool IsFinal(JobState state) => state is JobState.Completed or JobState.Cancelled or JobState.Failed;

    private TaskProgress Progress(string task)
    {
        if (!_tasks.TryGetValue(task, out var progress))
        {
            _tasks[task] = progress = new TaskProgress();
        }
        return progress;
    }
}
