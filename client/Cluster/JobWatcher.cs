using System.Threading.Channels;
using Accept.GrainInterfaces;
using Accept.GrainInterfaces.Jobs;
using Accept.GrainInterfaces.Tasks;
using Accept.Grains.Tasks;
using Accept.Training.Runs;
using Polly;

namespace Accept.Client.Cluster;

/// <summary>
/// Follows one job from the client by listening to its progress events (task → job → this observer) rather
/// than polling: each event brings a task's status and its new metric points, which are appended to the
/// run's <c>metrics.jsonl</c> in step order (each point once, so the file matches what an in-process run
/// writes). A task's points from before the subscription, or lost with a silo (a gap in the steps), are
/// fetched once from the task; so is the tail when the job ends.
/// </summary>
public sealed class JobWatcher(IClusterClient client, string jobId)
{
    /// <summary>How long the watch rides out a silo that cannot be reached before it gives up.</summary>
    private static readonly TimeSpan UnreachableGrace = TimeSpan.FromMinutes(2);
    private static readonly ResiliencePipeline Retry = TransientCalls.Pipeline();

    private readonly Dictionary<string, CollectedTaskMetrics> _tasks = new(StringComparer.Ordinal);

    public string JobId { get; } = jobId;

    public IJobGrain Job => client.GetGrain<IJobGrain>(JobId);

    /// <summary>What has been collected per task so far.</summary>
    public IReadOnlyDictionary<string, CollectedTaskMetrics> Tasks => _tasks;

    public Task<JobStatus> GetStatusAsync() => Job.GetStatus();

    /// <summary>Listens until the job is Completed, Cancelled or Failed, collecting metrics and reporting each change of status.</summary>
    /// <param name="cancel">
    /// With <paramref name="cancelJobOnStop"/>, firing cancels the job on the cluster once and the watch goes on until the
    /// cluster confirms; without, it only stops watching (<see cref="OperationCanceledException"/>).
    /// </param>
    public async Task<JobStatus> WatchAsync(RunDirectory? run, Action<JobStatus> report, CancellationToken cancel, bool cancelJobOnStop = true)
    {
        var events = Channel.CreateUnbounded<JobProgress>(new UnboundedChannelOptions { SingleReader = true });
        // Orleans holds the object weakly: this variable keeps it alive for the watch.
        var observer = new Listener(events.Writer);
        var listener = client.CreateObjectReference<IJobObserver>(observer);
        try
        {
            await Job.Subscribe(listener);
            var status = await GetStatusAsync();
            // What the tasks recorded before this subscription.
            foreach (var task in status.Tasks)
            {
                await CatchUpAsync(task, run);
            }
            report(status);
            var cancelSent = false;
            var renewed = DateTime.UtcNow;
            DateTime? unreachableSince = null;
            while (!IsFinal(status.State))
            {
                if (cancel.IsCancellationRequested && !cancelSent)
                {
                    if (!cancelJobOnStop)
                    {
                        cancel.ThrowIfCancellationRequested();
                    }
                    cancelSent = true;
                    await Job.Cancel();
                }
                var next = await NextAsync(events.Reader, renewed + JobSubscription.Renewal - DateTime.UtcNow, cancelSent ? CancellationToken.None : cancel);
                var stateChanged = false;
                foreach (var progress in next)
                {
                    if (progress.Task is { } task)
                    {
                        status = WithTask(status, task);
                        await ApplyAsync(task, progress.Points, run);
                    }
                    stateChanged |= progress.Task is null || progress.State != status.State;
                }
                if (stateChanged || DateTime.UtcNow - renewed >= JobSubscription.Renewal)
                {
                    try
                    {
                        // Renewing also brings the subscription back after the job grain moved to another silo.
                        await Job.Subscribe(listener);
                        status = await GetStatusAsync();
                        renewed = DateTime.UtcNow;
                        unreachableSince = null;
                    }
                    catch (Exception e) when (e is OrleansMessageRejectionException or TimeoutException or SiloUnavailableException)
                    {
                        // A silo died and is not yet declared dead; the job grain comes back elsewhere once it is.
                        unreachableSince ??= DateTime.UtcNow;
                        if (DateTime.UtcNow - unreachableSince > UnreachableGrace)
                        {
                            throw;
                        }
                    }
                }
                report(status);
            }
            // The last points (an event may have been lost with the end of a silo or of the job); a task whose silo
            // is going away is asked again until it is back elsewhere.
            foreach (var task in status.Tasks)
            {
                await CatchUpAsync(task, run, retryFor: UnreachableGrace);
            }
            report(status);
            return status;
        }
        finally
        {
            try
            {
                await Job.Unsubscribe(listener).WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception e) when (e is OrleansException or TimeoutException)
            {
                // The subscription lapses by itself.
            }
            client.DeleteObjectReference<IJobObserver>(listener);
            GC.KeepAlive(observer);
        }
    }

    /// <summary>
    /// Submits the job. Submit is idempotent (the same spec again answers the job's status, waiting behind a
    /// submission still starting the tasks), so one that outlives Orleans' 30 s response timeout on a loaded
    /// cluster, or meets a silo going away, is sent again for up to <see cref="UnreachableGrace"/> instead of
    /// ending the client (a chaos run under load average 90 lost its client this way before the fault).
    /// </summary>
    public async Task<JobStatus> SubmitAsync(JobSubmission submission, Action<string> transient, CancellationToken cancel)
    {
        var since = DateTime.UtcNow;
        while (true)
        {
            try
            {
                return await Job.Submit(submission).WaitAsync(cancel);
            }
            catch (Exception e) when (e is OrleansMessageRejectionException or TimeoutException or SiloUnavailableException
                && DateTime.UtcNow - since < UnreachableGrace && !cancel.IsCancellationRequested)
            {
                transient($"the cluster has not answered the submission yet ({e.GetType().Name}); sending it again");
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

    /// <summary>Every event available now, waiting up to <paramref name="wait"/> for the first; none when the wait ends (or <paramref name="stop"/> fires).</summary>
    private static async Task<List<JobProgress>> NextAsync(ChannelReader<JobProgress> events, TimeSpan wait, CancellationToken stop)
    {
        var next = new List<JobProgress>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
        try
        {
            next.Add(await events.ReadAsync(timeout.Token));
        }
        catch (OperationCanceledException)
        {
            return next;
        }
        while (events.TryRead(out var more))
        {
            next.Add(more);
        }
        return next;
    }

    private static JobStatus WithTask(JobStatus status, TrainingTaskStatus task) => status with
    {
        Tasks = status.Tasks.Any(t => t.TaskName == task.TaskName)
            ? status.Tasks.Select(t => t.TaskName == task.TaskName ? task : t).ToList()
            : [.. status.Tasks, task],
    };

    /// <summary>
    /// The points of one event; when they do not follow the last step collected (lost events), the gap is fetched from the
    /// task first. While the task cannot be reached the points are held back (the task keeps its log, and the next event
    /// or the end of the watch fetches them), so metrics.jsonl never skips a step.
    /// </summary>
    private async Task ApplyAsync(TrainingTaskStatus task, IReadOnlyList<TaskMetricPoint> points, RunDirectory? run)
    {
        var progress = Progress(task.TaskName);
        if (points.Count > 0 && points.Min(p => p.Step) > progress.LastStep + 1)
        {
            await CatchUpAsync(task, run);
            if (points.Min(p => p.Step) > progress.LastStep + 1)
            {
                return;
            }
        }
        Apply(task, points, run);
    }

    /// <summary>
    /// Fetches the task's points after the last collected step (the last one again: its metric may have been missing).
    /// A task that cannot be reached is left for the next gap or the end, or asked again for <paramref name="retryFor"/>.
    /// </summary>
    private async Task CatchUpAsync(TrainingTaskStatus task, RunDirectory? run, TimeSpan? retryFor = null)
    {
        var after = Math.Max(0, Progress(task.TaskName).LastStep - 1);
        var grain = client.GetGrain<ITaskGrain>(GrainKeys.Task(JobId, task.TaskName));
        IReadOnlyList<TaskMetricPoint> points;
        using var giveUp = retryFor is { } limit ? new CancellationTokenSource(limit) : null;
        try
        {
            points = giveUp is null ? await grain.GetMetrics(after) : await Retry.Run(() => grain.GetMetrics(after), giveUp.Token);
        }
        catch (Exception e) when (TransientCalls.IsTransient(e) || e is OperationCanceledException)
        {
            // Its silo is going away; the next gap or the end fetches them.
            return;
        }
        Apply(task, points, run);
    }

    /// <summary>Appends the points not collected yet as the in-process trainer writes them: a loss record per step, and a separate metric record where the task evaluated.</summary>
    private void Apply(TrainingTaskStatus task, IEnumerable<TaskMetricPoint> points, RunDirectory? run)
    {
        var progress = Progress(task.TaskName);
        progress.MetricName = task.MetricName ?? progress.MetricName;
        foreach (var point in points.OrderBy(p => p.Step))
        {
            if (point.Step > progress.LastStep)
            {
                progress.AddStep(point.Step, point.Loss);
                run?.Append(point.LossRecord(task.TaskName));
            }
            if (point.Metric is { } metric && point.Step > progress.LastMetricStep)
            {
                progress.AddMetric(point.Step, metric);
                run?.Append(point.EvaluationRecord(task.TaskName, progress.MetricName)!);
            }
        }
    }

    private CollectedTaskMetrics Progress(string task)
    {
        if (!_tasks.TryGetValue(task, out var progress))
        {
            _tasks[task] = progress = new CollectedTaskMetrics();
        }
        return progress;
    }

    /// <summary>The client-side observer: hands each event to the watch loop.</summary>
    private sealed class Listener(ChannelWriter<JobProgress> events) : IJobObserver
    {
        public Task OnProgress(JobProgress progress)
        {
            events.TryWrite(progress);
            return Task.CompletedTask;
        }
    }
}
