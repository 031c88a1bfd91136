using Accept.GrainInterfaces;
using Accept.GrainInterfaces.Jobs;
using Accept.GrainInterfaces.Tasks;
using Accept.Training.Sweeps;
using TrialState = Accept.Training.Sweeps.TrialState;

namespace Accept.Grains.Sweeps;

/// <summary>
/// What the sweep grain has collected of one running trial's job: its tasks' metric points (fetched once each)
/// and its last status, turned into the engine's events: milestones once every task has passed them, progress,
/// and the end. Held in memory only; after a reactivation the points are fetched again from step 0 (task grains
/// keep their whole history), so nothing here needs persisting.
/// TODO(events): replace the polling (<see cref="PollAsync"/>) by the job's progress events once jobs publish them.
/// </summary>
internal sealed class TrialWatch(string jobId, IReadOnlyList<string> tasks)
{
    private readonly Dictionary<string, List<TaskMetricPoint>> _points = tasks.ToDictionary(t => t, _ => new List<TaskMetricPoint>(), StringComparer.Ordinal);

    public string JobId { get; } = jobId;

    public IReadOnlyDictionary<string, List<TaskMetricPoint>> Points => _points;

    public JobStatus? LastStatus { get; private set; }

    /// <summary>The job's status and every task's new points (the newest point is fetched again: it gets its metric after its evaluation).</summary>
    public async Task PollAsync(IGrainFactory grains, JobStatus status)
    {
        LastStatus = status;
        foreach (var task in tasks)
        {
            var list = _points[task];
            var after = list.Count == 0 ? 0 : Math.Max(0, list[^1].Step - 1);
            var fresh = await grains.GetGrain<ITaskGrain>(GrainKeys.Task(JobId, task)).GetMetrics(after).WaitAsync(TimeSpan.FromSeconds(10));
            list.RemoveAll(p => p.Step > after);
            list.AddRange(fresh.OrderBy(p => p.Step));
        }
    }

    /// <summary>The step every task has passed (the slowest task's latest step).</summary>
    public long Step => _points.Values.Select(p => p.Count == 0 ? 0 : p[^1].Step).DefaultIfEmpty(0).Min();

    public double? ObjectiveAt(ObjectiveSpec objective, long step) => SweepObjective.At(objective, ObjectivePoints(), step);

    public IReadOnlyDictionary<string, IReadOnlyList<ObjectivePoint>> ObjectivePoints() =>
        _points.ToDictionary(p => p.Key, p => (IReadOnlyList<ObjectivePoint>)p.Value.Select(x => new ObjectivePoint(x.Step, x.Loss, x.Metric)).ToList(), StringComparer.Ordinal);

    /// <summary>The engine events this poll produced for <paramref name="trial"/>, in order.</summary>
    public List<SweepEvent> Events(TrialRecord trial, SweepSpec spec)
    {
        var events = new List<SweepEvent>();
        var status = LastStatus;
        if (status is null) return events;
        var ended = JobIsFinal(status.State);
        // A milestone counts once every task is past it (its evaluation at that step is then recorded), or the job ended at it.
        var reached = ended ? Step : Step - 1;
        foreach (var m in SweepEngine.Milestones(spec.Scheduler).Where(m => m <= reached && trial.MilestoneValue(m) is null))
        {
            if (ObjectiveAt(spec.Objective, m) is { } value) events.Add(new MilestoneReached(trial.Id, m, value));
        }
        var silo = string.Join(",", status.Tasks.Select(t => t.Silo).Where(s => s is not null).Distinct());
        events.Add(new TrialProgress(trial.Id, Step, ObjectiveAt(spec.Objective, Step), silo.Length == 0 ? null : silo));
        if (ended)
        {
            var outcome = status.State switch
            {
                JobState.Completed => TrialState.Completed,
                JobState.Cancelled => TrialState.Cancelled,
                _ => TrialState.Failed,
            };
            events.Add(new TrialEnded(trial.Id, outcome, Step, ObjectiveAt(spec.Objective, Step), status.Error));
        }
        return events;
    }

    public static bool JobIsFinal(JobState state) => state is JobState.Completed or JobState.Cancelled or JobState.Failed;
}
