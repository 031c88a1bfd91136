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
    private readonly Dictionary<string, TaskProgress> _tasks = new(StringComparer.Ordinal);

    public string JobId { get; } = jobId;

    public IJobGrain Job => client.GetGrain<IJobGrain>(JobId);

    /// <summary>What has been collected per task so far.</summary>
    public IReadOnlyDictionary<string, TaskProgress> Tasks => _tasks;

    public Task<JobStatus> GetStatusAsync() => Job.GetStatus();

    /// <summary>Fetches every task's points after the last one seen and appends them to <paramref name="run"/> (when given).</summary>
    public async Task CollectMetricsAsync(JobStatus status, RunDirectory? run)
    {
        var fetched = await Task.WhenAll(status.Tasks.Select(async task =>
        {
            var progress = Progress(task.TaskName);
            var points = await client.GetGrain<ITaskGrain>(GrainKeys.Task(JobId, task.TaskName)).GetMetrics(progress.LastStep);
            return (Task: task, Progress: progress, Points: points);
        }));
        foreach (var (task, progress, points) in fetched)
        {
            progress.MetricName = task.MetricName ?? progress.MetricName;
            foreach (var point in points.Where(p => p.Step > progress.LastStep).OrderBy(p => p.Step))
            {
                progress.Add(point);
                run?.Append(new MetricRecord(point.Step, task.TaskName, point.Loss, point.LearningRate, point.Metric,
                    point.Metric is null ? null : progress.MetricName, task.CodebookVersion));
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
            var status = await GetStatusAsync();
            await CollectMetricsAsync(status, run);
            report(status);
            if (IsFinal(status.State))
            {
                return status;
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
