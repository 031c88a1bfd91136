using Accept.GrainInterfaces.Jobs;
using Accept.Grains.Jobs;
using Accept.Grains.Tasks;
using Accept.Training.Checkpointing;
using Accept.Training.Checkpointing.Store;
using Accept.Training.Config;
using Accept.Training.IO;
using Accept.Training.Runs;
using Accept.Training.Sweeps;
using Microsoft.Extensions.Logging;

namespace Accept.Grains.Sweeps;

/// <summary>
/// A trial's run directory under the sweep directory — a run directory like any other (spec.json,
/// checkpoint-store.json naming the trial's current job, metrics.jsonl, summary.json, curves.png), so
/// `accept export`, `eval`, `predict` and `train --resume` work on it — and the PBT exploit between trials.
/// </summary>
internal static class TrialArtifacts
{
    /// <summary>spec.json of the trial's current segment and checkpoint-store.json naming its job in the cluster's store.</summary>
    public static void WriteStart(SweepDirectory sweep, TrialRecord trial, string runSpecJson, ICheckpointStore store, string jobId)
    {
        var dir = sweep.TrialDirectory(trial);
        Directory.CreateDirectory(dir);
        AtomicFile.WriteAllText(Path.Combine(dir, "spec.json"), RunSpecWriter.ToJson(RunSpecReader.Parse(runSpecJson, "trial spec")));
        RunCheckpointLocation.Of(store.Location, jobId, dir).Write(dir);
    }

    /// <summary>metrics.jsonl (rewritten whole from the collected points), then summary.json from the job's results when it ended, then curves.png.</summary>
    public static void WriteRun(SweepDirectory sweep, TrialRecord trial, TrialWatch watch, JobResults? results)
    {
        var dir = sweep.TrialDirectory(trial);
        Directory.CreateDirectory(dir);
        var records = new List<MetricRecord>();
        var seen = new Dictionary<string, TaskSeen>(StringComparer.Ordinal);
        foreach (var (task, points) in watch.Points.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var metricName = watch.MetricName(task);
            foreach (var p in points)
            {
                records.Add(p.LossRecord(task));
                if (p.EvaluationRecord(task, metricName) is { } evaluation) records.Add(evaluation);
            }
            var best = points.Where(p => p.Metric is not null).MaxBy(p => p.Metric!.Value);
            seen[task] = new TaskSeen(points.LastOrDefault(p => double.IsFinite(p.Loss))?.Loss, metricName, best?.Metric, best?.Step);
        }
        var metrics = Path.Combine(dir, "metrics.jsonl");
        AtomicFile.WriteAllText(metrics, string.Concat(records.OrderBy(r => r.Step).Select(r => System.Text.Json.JsonSerializer.Serialize(r,
            new System.Text.Json.JsonSerializerOptions { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull }) + "\n")));
        using var run = RunDirectory.Open(dir);
        if (results is not null) run.WriteSummary(JobRunSummary.FromResults(trial.Name, results, seen));
        if (records.Count > 0) run.WritePlot();
    }

    /// <summary>
    /// PBT exploit or retry: the new job is seeded from a trial's run directory (the donor's, or the trial's own
    /// failed job) exactly as `accept train --resume` seeds a resumed run (<see cref="RunCheckpointReader.LoadResumePoint"/>,
    /// <see cref="ResumeSeed"/>): task weights, codebooks, optimizer moments and step of the newest consistent
    /// checkpoint. Does nothing where the new job already has a checkpoint (a repeated call after a restart); a
    /// retried trial without a usable checkpoint starts from step 0. Runs off the grain scheduler (it reads tensors).
    /// </summary>
    public static Task SeedFromDonorAsync(ICheckpointStore store, RunSpec spec, string donorRunDirectory, string toJob, ILogger logger) => Task.Run(async () =>
    {
        foreach (var task in spec.Tasks)
        {
            if ((await store.ListAsync(new CheckpointScope(toJob, CheckpointOwners.Task(task.Name)))).Count > 0) return;
        }
        try
        {
            var donor = RunCheckpointReader.Open(donorRunDirectory);
            using var point = donor.LoadResumePoint();
            await ResumeSeed.WriteAsync(point, donor, store, toJob);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            logger.LogWarning("Job {Job} starts from step 0: {Reason}", toJob, e.Message);
        }
    });
}
