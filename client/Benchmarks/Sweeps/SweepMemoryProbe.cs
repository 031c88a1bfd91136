using System.Text.Json.Serialization;
using Accept.Client.Cluster;
using Accept.GrainInterfaces.Sweeps;
using Accept.Grains.Execution;
using Accept.Training.Config;
using Accept.Training.Sweeps;
using Microsoft.Extensions.DependencyInjection;

namespace Accept.Client.Benchmarks.Sweeps;

/// <summary>
/// The memory of one worker silo running K trials at once: an embedded cluster of one worker silo (and its
/// client, which holds no tensors) in this process, a FIFO sweep of K trials all started together, measured
/// once every trial has taken <c>steps</c> steps, then cancelled. One K per process: libtorch keeps memory it
/// has freed, so a second measurement in the same process would start from the first one's peak.
/// </summary>
internal static class SweepMemoryProbe
{
    public sealed record Report(
        [property: JsonPropertyName("concurrent_trials")] int ConcurrentTrials,
        [property: JsonPropertyName("tasks")] int Tasks,
        [property: JsonPropertyName("sessions")] int Sessions,
        [property: JsonPropertyName("backbone_loads")] int BackboneLoads,
        [property: JsonPropertyName("steps_per_trial")] long StepsPerTrial,
        [property: JsonPropertyName("baseline_rss_mb")] double BaselineRssMb,
        [property: JsonPropertyName("rss_mb")] double RssMb,
        [property: JsonPropertyName("peak_rss_mb")] double? PeakRssMb,
        [property: JsonPropertyName("managed_heap_mb")] double ManagedHeapMb);

    /// <param name="spec">The sweep spec, base prepared (backbone and data paths absolute).</param>
    public static async Task<Report> RunAsync(SweepSpec spec, int trials, int steps, string workDirectory, CancellationToken cancel)
    {
        var memorySpec = SweepBenchSpec.Memory(spec, trials, maxSteps: 100_000);
        var directory = Path.Combine(workDirectory, $"memory-{trials}");
        await using var cluster = await EmbeddedCluster.StartAsync(new EmbeddedClusterOptions(Path.Combine(directory, "checkpoints"), Silos: 1), cancel);
        // The silo started, nothing trained yet: what every silo process costs before its first trial.
        var baseline = ThisMachine.WorkingSetMb();
        var sweep = cluster.Client.GetGrain<ISweepGrain>($"memory-{trials}-{Guid.NewGuid():N}"[..24]);
        var status = await sweep.Start(new SweepSubmission(SweepSpecWriter.ToJson(memorySpec), directory, trials));
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(20);
        while (!status.Trials.Where(t => t.State != "invalid").All(t => t.State == "running" && t.Step >= steps))
        {
            if (status.Phase != "running" || status.Trials.Any(t => t.State == "failed"))
                throw new InvalidOperationException($"the memory sweep of {trials} trial(s) ended before every trial took {steps} step(s): "
                    + string.Join("; ", status.Trials.Select(t => $"{t.Name} {t.State} {t.Reason}")));
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the memory sweep of {trials} trial(s) did not reach {steps} step(s) per trial in 20 minutes");
            await Task.Delay(200, cancel);
            status = await sweep.GetStatus();
        }
        var silo = cluster.Silos[0].Services;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var running = status.Trials.Count(t => t.State == "running");
        var report = new Report(
            running,
            running * RunSpecReader.Parse(memorySpec.BaseRunSpecJson, "base").Tasks.Count,
            silo.GetRequiredService<TaskSessionHost>().Count,
            silo.GetRequiredService<BackboneCache>().Loads,
            steps,
            Math.Round(baseline, 1),
            Math.Round(ThisMachine.WorkingSetMb(), 1),
            ThisMachine.PeakRssMb() is { } peak ? Math.Round(peak, 1) : null,
            Math.Round(GC.GetGCMemoryInfo().TotalCommittedBytes / 1048576.0, 1));
        await sweep.Cancel();
        return report;
    }
}
