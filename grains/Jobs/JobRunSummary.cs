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
            // A task cancelled before its first step has no loss to report; it is left out rather than given a made-up one.
            if ((task.FinalLoss ?? s?.LastLoss) is not { } finalLoss)
            {
                continue;
            }
            tasks[task.TaskName] = new TaskSummary(
                task.MetricName ?? s?.MetricName ?? "",
                finalLoss,
                task.BestMetric ?? s?.BestMetric,
                task.BestStep ?? s?.BestStep,
                task.MajorityBaseline,
                task.Steps,
                task.SkippedSteps)
            {
                InitialLoss = task.InitialLoss,
            };
        }
        return new RunSummary(runName, ClusterMode, results.WallSeconds, results.TokensPerSecond, tasks);
    }
}
