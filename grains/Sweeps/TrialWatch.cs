using Accept.GrainInterfaces;
using Accept.GrainInterfaces.Jobs;
using Accept.GrainInterfaces.Tasks;
using Accept.Training.Sweeps;
using TrialState = Accept.Training.Sweeps.TrialState;

namespace Accept.Grains.Sweeps;

/// <summary>
/// What the sweep grain has collected of one running trial's job: its tasks' metric points and latest
/// statuses, from the job's progress events (<see cref="Add"/>) and, where events are missing (before the
/// subscription, a gap in the steps, the job's end), from the tasks themselves (<see cref="CatchUpAsync"/>);
/// turned into the engine's events: milestones once every task has passed them, progress, and the end. Held in
/// memory only; after a reactivation the points are fetched again from step 0 (task grains keep their whole
/// history), so nothing here needs persisting.
/// </summary>
internal sealed class TrialWatch(string jobId, IReadOnlyList<string> tasks)
{
    private readonly Dictionary<string, List<TaskMetricPoint>> _points = tasks.ToDictionary(t => t, _ => new List<TaskMetricPoint>(), StringComparer.Ordinal);
    private readonly Dictionary<string, TrainingTaskStatus> _tasks = new(StringComparer.Ordinal);
    private readonly HashSet<string> _gaps = [.. tasks];

    public string JobId { get; } = jobId;

    public IReadOnlyDictionary<string, List<TaskMetricPoint>> Points => _points;

    /// <summary>The job's state and error as last heard (Created until the first status or event).</summary>
    public JobState State { get; private set; } = JobState.Created;

    public string? Error { get; private set; }

    public bool Subscribed { get; set; }

    public bool HasGaps => _gaps.Count > 0;

    public string? MetricName(string task) => _tasks.GetValueOrDefault(task)?.MetricName;

    /// <summary>A job status (submission, renewal): its state and tasks' statuses.</summary>
    public void Add(JobStatus status)
    {
        (State, Error) = (status.State, status.Error);
        foreach (var task in status.Tasks) _tasks[task.TaskName] = task;
        if (IsFinal(State)) _gaps.UnionWith(_points.Keys);
    }

    /// <summary>One progress event: new points are appended; a step missing before them marks the task for a catch-up.</summary>
    public void Add(JobProgress progress)
    {
        (State, Error) = (progress.State, progress.Error);
        if (IsFinal(State)) _gaps.UnionWith(_points.Keys);
        if (progress.Task is not { } task || !_points.TryGetValue(task.TaskName, out var list)) return;
        _tasks[task.TaskName] = task;
        foreach (var p in progress.Points.OrderBy(p => p.Step))
        {
            var last = list.Count == 0 ? 0 : list[^1].Step;
            if (p.Step <= last) continue;
            if (p.Step != last + 1) _gaps.Add(task.TaskName);
            list.Add(p);
        }
    }

    /// <summary>Fetches from the task grains every point the events did not bring (all of them for a task never caught up).</summary>
    public async Task CatchUpAsync(IGrainFactory grains)
    {
        foreach (var task in _gaps.ToList())
        {
            var fresh = await grains.GetGrain<ITaskGrain>(GrainKeys.Task(JobId, task)).GetMetrics(0).WaitAsync(TimeSpan.FromSeconds(10));
            var list = _points[task];
            list.Clear();
            list.AddRange(fresh.OrderBy(p => p.Step));
            _gaps.Remove(task);
        }
    }

    /// <summary>The step every task has passed (the slowest task's latest step).</summary>
    public long Step => _points.Values.Select(p => p.Count == 0 ? 0 : p[^1].Step).DefaultIfEmpty(0).Min();

    public double? ObjectiveAt(ObjectiveSpec objective, long step) => SweepObjective.At(objective, ObjectivePoints(), step);

    public IReadOnlyDictionary<string, IReadOnlyList<ObjectivePoint>> ObjectivePoints() =>
        _points.ToDictionary(p => p.Key, p => (IReadOnlyList<ObjectivePoint>)p.Value.Select(x => new ObjectivePoint(x.Step, x.Loss, x.Metric)).ToList(), StringComparer.Ordinal);

    /// <summary>The engine events of what was collected for <paramref name="trial"/>, in order (none while points are missing).</summary>
    public List<SweepEvent> Events(TrialRecord trial, SweepSpec spec)
    {
        var events = new List<SweepEvent>();
        if (State == JobState.Created || HasGaps) return events;
        var ended = IsFinal(State);
        // A milestone counts once every task is past it (its evaluation at that step is then recorded), or the job ended at it.
        var reached = ended ? Step : Step - 1;
        foreach (var m in SweepEngine.Milestones(spec.Scheduler).Where(m => m <= reached && trial.MilestoneValue(m) is null))
        {
            if (ObjectiveAt(spec.Objective, m) is { } value) events.Add(new MilestoneReached(trial.Id, m, value));
        }
        var silo = string.Join(",", _tasks.Values.Select(t => t.Silo).Where(s => s is not null).Distinct().Order(StringComparer.Ordinal));
        events.Add(new TrialProgress(trial.Id, Step, ObjectiveAt(spec.Objective, Step), silo.Length == 0 ? null : silo));
        if (ended)
        {
            var outcome = State switch
            {
                JobState.Completed => TrialState.Completed,
                JobState.Cancelled => TrialState.Cancelled,
                _ => TrialState.Failed,
            };
            events.Add(new TrialEnded(trial.Id, outcome, Step, ObjectiveAt(spec.Objective, Step), Error));
        }
        return events;
    }

    public static bool IsFinal(JobState state) => state is JobState.Completed or JobState.Cancelled or JobState.Failed;
}
