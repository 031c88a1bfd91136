using Accept.Grains.Checkpoints;
using Accept.Grains.Tasks;
using Accept.Training.Checkpointing.Store;
using Accept.Training.Config;
using Accept.Training.IO;
using Accept.Training.Runs;
using Accept.Training.Sweeps;

namespace Accept.Grains.Sweeps;

/// <summary>A trial's run directory under the sweep directory, and the PBT checkpoint copy between trials' jobs.</summary>
internal static class TrialArtifacts
{
    /// <summary>spec.json of the trial's current segment.</summary>
    public static void WriteSpec(SweepDirectory sweep, TrialRecord trial, string runSpecJson)
    {
        var dir = sweep.TrialDirectory(trial);
        Directory.CreateDirectory(dir);
        AtomicFile.WriteAllText(Path.Combine(dir, "spec.json"), RunSpecWriter.ToJson(RunSpecReader.Parse(runSpecJson, "trial spec")));
    }

    /// <summary>metrics.jsonl (rewritten whole from the collected points) and curves.png.</summary>
    public static void WriteMetrics(SweepDirectory sweep, TrialRecord trial, TrialWatch watch)
    {
        var dir = sweep.TrialDirectory(trial);
        Directory.CreateDirectory(dir);
        var records = new List<MetricRecord>();
        foreach (var (task, points) in watch.Points.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var metricName = watch.LastStatus?.Tasks.FirstOrDefault(t => t.TaskName == task)?.MetricName;
            foreach (var p in points)
            {
                records.Add(p.LossRecord(task));
                if (p.EvaluationRecord(task, metricName) is { } evaluation) records.Add(evaluation);
            }
        }
        var metrics = Path.Combine(dir, "metrics.jsonl");
        AtomicFile.WriteAllText(metrics, string.Concat(records.OrderBy(r => r.Step).Select(r => System.Text.Json.JsonSerializer.Serialize(r,
            new System.Text.Json.JsonSerializerOptions { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull }) + "\n")));
        if (records.Count > 0)
        {
            using var run = RunDirectory.Open(dir);
            run.WritePlot();
        }
    }

    /// <summary>
    /// PBT exploit: the donor job's latest task and codebook checkpoints become the new job's first ones, so its
    /// tasks and groups restore the donor's weights, codebooks, optimizer moments and step. Does nothing where the
    /// new job already has a checkpoint (a repeated call after a restart).
    /// </summary>
    public static async Task CopyCheckpointsAsync(ICheckpointStore store, RunSpec spec, string fromJob, string toJob)
    {
        var owners = spec.Tasks.Select(t => CheckpointOwners.Task(t.Name)).Concat(spec.CodebookGroups.Keys.Select(CheckpointOwners.Codebook));
        foreach (var owner in owners)
        {
            var target = new CheckpointScope(toJob, owner);
            if ((await store.ListAsync(target)).Count > 0) continue;
            var loaded = await store.LoadLatestAsync(new CheckpointScope(fromJob, owner))
                ?? throw new InvalidOperationException($"PBT: job '{fromJob}' has no checkpoint for {owner} to copy (set checkpoint_every to at most interval_steps)");
            await store.SaveAsync(target, loaded.Content);
        }
    }
}
