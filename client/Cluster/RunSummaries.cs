using Accept.GrainInterfaces.Jobs;
using Accept.Grains.Jobs;
using Accept.Training.Config;
using Accept.Training.Evaluation;
using Accept.Training.MultiTask;
using Accept.Training.Runs;
using Accept.Training.T5;

namespace Accept.Client.Cluster;

/// <summary>summary.json of a cluster run, from the job grain's results (the collected metric points fill what a result lacks).</summary>
public static class RunSummaries
{
    public const string ClusterMode = JobRunSummary.ClusterMode;

    public static RunSummary FromResults(string runName, JobResults results, IReadOnlyDictionary<string, CollectedTaskMetrics> progress) =>
        JobRunSummary.FromResults(runName, results, progress.ToDictionary(p => p.Key, p => new TaskSeen(p.Value.LastLoss, p.Value.MetricName, p.Value.BestMetric, p.Value.BestStep)));

    /// <summary>
    /// Adds each task's metrics on the test split with its best checkpoint (<c>tasks.NAME.test</c>), as an
    /// in-process run ends: computed here from the run directory's checkpoints, with the spec's data and
    /// backbone. When that fails (a store this process cannot reach, a data file it cannot see) the summary
    /// stays as it is and <paramref name="warn"/> says why; <c>accept eval</c> can score the run later.
    /// </summary>
    public static RunSummary WithTestMetrics(RunSummary summary, string runDirectory, RunSpec spec, Action<string> warn)
    {
        try
        {
            // The spec was prepared for the cluster: demo tasks already name their data folder (nothing is installed here).
            if (spec.Tasks.FirstOrDefault(t => t.Source == TaskSource.Demo && t.Path is null) is { } demo)
                throw new SpecException($"demo task '{demo.Name}' names no data folder");
            var context = RunContext.Load(spec, Path.Combine(runDirectory, "no-demo-cache"));
            using var backbone = T5Model.Load(context.BackboneDirectory);
            var test = TestMetrics.OfBest(runDirectory, context, backbone);
            var tasks = summary.Tasks.ToDictionary(t => t.Key, t => t.Value with { Test = test.GetValueOrDefault(t.Key) });
            return summary with { Tasks = new SortedDictionary<string, TaskSummary>(tasks, StringComparer.Ordinal) };
        }
        catch (Exception e) when (e is SpecException or InvalidDataException or IOException or ArgumentException or FormatException
                                      or InvalidOperationException or Training.Data.DataFormatException)
        {
            warn($"test metrics not computed: {e.Message} (score the run later with: accept eval --run {runDirectory})");
            return summary;
        }
    }
}
