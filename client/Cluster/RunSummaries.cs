using Accept.GrainInterfaces.Jobs;
using Accept.Training.Runs;

namespace Accept.Client.Cluster;

/// <summary>summary.json of a cluster run, from the job grain's results (the collected metric points fill what a result lacks).</summary>
public static class RunSummaries
{
    public const string ClusterMode = "cluster";

    public static RunSummary FromResults(string runName, JobResults results, IReadOnlyDictionary<string, TaskProgress> progress)
    {
        var tasks = new SortedDictionary<string, TaskSummary>(StringComparer.Ordinal);
        foreach (var task in results.Tasks)
        {
            progress.TryGetValue(task.TaskName, out var seen);
            // A task cancelled before its first step has no loss to report; it is left out rather than given a made-up one.
            if ((task.FinalLoss ?? seen?.LastLoss) is not { } finalLoss)
            {
                continue;
            }
            tasks[task.TaskName] = new TaskSummary(
                task.MetricName ?? seen?.MetricName ?? "",
                finalLoss,
                task.BestMetric ?? seen?.BestMetric,
                task.BestStep ?? seen?.BestStep,
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
