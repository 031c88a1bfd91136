using Accept.GrainInterfaces.Jobs;
using Accept.Training.Runs;

namespace Accept.Grains.Jobs;

/// <summary>What a watcher of a job collected of one task's metric points, to fill what a task's result lacks (a task cancelled early).</summary>
public sealed record TaskSeen(double? LastLoss, string? MetricName, double? BestMetric, long? BestStep);

/// <summary>summary.json of a cluster run from its job's results: written by the client for `accept train` and by the sweep grain for each trial.</summary>
public static class JobRunSummary
{
    public const string ClusterMode = "cluster";

    public static RunSummary FromResults(string runName, JobResults results, IReadOnlyDictionary<string, TaskSeen> seen)
    {
        var tasks = new SortedDictionary<string, TaskSummary>(StringComparer.Ordinal);
        foreach (var task in results.Tasks)
        {
            seen.TryGetValue(task.TaskName, out var s);
            // A task that never reached a silo has no line of its own: what the watcher saw is all there is.
            var line = task.Summary ?? new TaskSummary(s?.MetricName ?? "", null, null, null, null, 0, 0);
            // A task cancelled before its first step has no loss to report; it is left out rather than given a made-up one.
            if ((line.FinalLoss ?? s?.LastLoss) is not { } finalLoss)
            {
                continue;
            }
            tasks[task.TaskName] = line with { FinalLoss = finalLoss, BestMetric = line.BestMetric ?? s?.BestMetric, BestStep = line.BestStep ?? s?.BestStep };
        }
        return new RunSummary(runName, ClusterMode, results.WallSeconds, results.TokensPerSecond, tasks);
    }
}
