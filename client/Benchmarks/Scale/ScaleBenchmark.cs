using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Accept.GrainInterfaces;
using Accept.GrainInterfaces.Codebooks;
using Accept.GrainInterfaces.Simulation;
using Accept.Training.Config;
using RunSpec = Accept.Training.Config.RunSpec;

namespace Accept.Client.Benchmarks.Scale;

/// <summary>
/// Runs one <see cref="ScaleConfig"/> on a cluster: initialises a codebook group of simulated tasks, starts
/// every task grain, waits (condition with a deadline) until the group applied every step, then derives the
/// round times from the tasks' own step records (one Stopwatch clock: the embedded cluster is one process).
/// </summary>
public static class ScaleBenchmark
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(10);

    public static async Task<ScaleResult> RunAsync(IClusterClient client, ScaleConfig config, CodebookBenchRun run, Action<string> progress, CancellationToken cancel)
    {
        var job = $"bench-scale-{Guid.NewGuid().ToString("N")[..8]}";
        var names = Enumerable.Range(0, config.Tasks).Select(i => $"t{i:D4}").ToList();
        var specJson = SpecJson(run, names, config);
        var codebook = client.GetGrain<ICodebookGrain>(GrainKeys.Codebook(job, RunSpec.DefaultGroup));
        await codebook.Initialize(new CodebookGroupSpec(job, RunSpec.DefaultGroup, specJson, RoundTimeout: TimeSpan.FromMinutes(5),
            RoundDeadline: config.DeadlineMs > 0 ? TimeSpan.FromMilliseconds(config.DeadlineMs) : null));
        var tasks = names.Select(n => client.GetGrain<ISimulatedTaskGrain>(GrainKeys.Task(job, n))).ToList();
        var wall = Stopwatch.StartNew();
        var atStart = ProcessCounters.Now();
        await Task.WhenAll(tasks.Select((t, i) => t.Start(new SimulationSpec(job, RunSpec.DefaultGroup, names[i], i, config.Seed, config.Rounds,
            config.StepMs, config.StragglerP, config.StragglerMs, config.Hierarchical))));
        var expected = (long)config.Tasks * config.Rounds;
        CodebookStatus status;
        var lastNote = TimeSpan.Zero;
        // The process's counters once every task has had its first step taken (activation, placement and joins behind).
        (ProcessCounters Counters, long Gradients)? afterFirst = null;
        while (true)
        {
            status = await codebook.GetStatus();
            if (afterFirst is null && status.AppliedGradients >= config.Tasks)
            {
                afterFirst = (ProcessCounters.Now(), status.AppliedGradients);
            }
            if (status.AppliedGradients + status.RejectedPushes >= expected)
            {
                break;
            }
            if (wall.Elapsed > Deadline)
            {
                throw new TimeoutException($"bench scale: {config.Tasks} tasks applied {status.AppliedGradients} of {expected} gradients in {Deadline.TotalMinutes} min.");
            }
            if (wall.Elapsed - lastNote > TimeSpan.FromSeconds(5))
            {
                lastNote = wall.Elapsed;
                progress($"  {status.AppliedGradients}/{expected} gradients applied, {wall.Elapsed.TotalSeconds:F0} s");
            }
            // Every poll serialises the group's status (a name and a step per member) inside the measured process: 10 Hz.
            await Task.Delay(100, cancel);
        }
        var reports = await Task.WhenAll(tasks.Select(async t =>
        {
            // The last answers reach the tasks just after the group applied them.
            var report = await t.GetReport();
            var waited = Stopwatch.StartNew();
            while (!report.Done && waited.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(20, cancel);
                report = await t.GetReport();
            }
            return report;
        }));
        status = await codebook.GetStatus();
        // A run too short for a poll to see the first steps end: the whole run, activation included.
        var (from, fromGradients) = afterFirst ?? (atStart, 0);
        var steady = ProcessCounters.Now() - from;
        var steadyRounds = (status.AppliedGradients - fromGradients) / (double)config.Tasks;
        var memory = GC.GetTotalMemory(forceFullCollection: true) / (1024.0 * 1024.0);
        var result = Measure(config, reports, status, memory) with
        {
            RejectedPushes = status.RejectedPushes,
            CpuMsPerRound = steadyRounds > 0 ? steady.Cpu.TotalMilliseconds / steadyRounds : double.NaN,
            AllocatedMbPerRound = steadyRounds > 0 ? steady.AllocatedBytes / (1024.0 * 1024.0) / steadyRounds : double.NaN,
            Collections = [steady.Gen0, steady.Gen1, steady.Gen2],
        };
        await Task.WhenAll(tasks.Select(t => t.Stop()));
        await codebook.Close();
        // The closed group's grain (its state, its ledger) would otherwise stay in memory until Orleans collects idle
        // activations, and count in the next configuration's silo memory.
        await client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await WaitUntilDeactivated(client, job, progress, cancel);
        return result;
    }

    /// <summary>
    /// Waits (condition, deadline) until this configuration's task grains are gone: placement counts a silo's live
    /// activations, deactivating ones included, so leftovers would steer the next configuration's tasks to the other silos.
    /// </summary>
    private static async Task WaitUntilDeactivated(IClusterClient client, string job, Action<string> progress, CancellationToken cancel)
    {
        var management = client.GetGrain<IManagementGrain>(0);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var left = (await management.GetDetailedGrainStatistics()).Count(s =>
                s.GrainType.Contains(nameof(ISimulatedTaskGrain)[1..], StringComparison.Ordinal) && s.GrainId.Key.ToString()!.StartsWith(job, StringComparison.Ordinal));
            if (left == 0)
            {
                return;
            }
            if (waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                progress($"  {left} task grains of {job} still active after 60 s; the next configuration's placement counts them");
                return;
            }
            await Task.Delay(50, cancel);
        }
    }

    private static ScaleResult Measure(ScaleConfig config, SimulationReport[] reports, CodebookStatus status, double memoryMb)
    {
        var failed = reports.Count(r => r.Error is not null || r.Steps.Count < config.Rounds);
        var complete = reports.Where(r => r.Steps.Count == config.Rounds).ToList();
        var tick = 1000.0 / Stopwatch.Frequency;
        var overheads = new List<double>();
        double roundsPerSecond, gradientsPerSecond;
        var first = config.Rounds > 1 ? 1 : 0; // step 1 pays activation, placement and join: warm-up
        var start = complete.Min(r => r.Steps[first].StartTicks);
        var end = complete.Max(r => r.Steps[^1].EndTicks);
        var seconds = (end - start) * tick / 1000.0;
        var measuredSteps = config.Rounds - first;
        for (var k = first; k < config.Rounds; k++)
        {
            var roundStart = complete.Min(r => r.Steps[k].StartTicks);
            var roundEnd = complete.Max(r => r.Steps[k].EndTicks);
            var slowest = complete.Max(r => r.Steps[k].StepMs);
            overheads.Add((roundEnd - roundStart) * tick - slowest);
        }
        if (config.Mode == AggregationMode.Sync)
        {
            // The group's closed rounds (with a deadline a round may close without its stragglers), warm-up round left out.
            roundsPerSecond = Math.Max(0, status.Rounds - first) / seconds;
            gradientsPerSecond = complete.Count * measuredSteps / seconds;
        }
        else
        {
            // Async tasks do not wait for each other: with thousands of them the first finish before the last are placed,
            // so the rate is counted while every task runs: from the last task's first measured step to the first task's end.
            var allRunning = complete.Max(r => r.Steps[first].StartTicks);
            var firstDone = complete.Min(r => r.Steps[^1].EndTicks);
            var answered = complete.Sum(r => r.Steps.Count(s => s.EndTicks > allRunning && s.EndTicks <= firstDone));
            gradientsPerSecond = firstDone > allRunning && answered >= config.Tasks
                ? answered / ((firstDone - allRunning) * tick / 1000.0)
                : complete.Count * measuredSteps / seconds;
            roundsPerSecond = gradientsPerSecond / config.Tasks;
        }
        overheads.Sort();
        var codebookBytes = complete.Count > 0 ? complete[0].CodebookBytes : 0;
        // Up: the gradients the group's calls carried (a silo's exact sum is float64: twice a float32 gradient);
        // down: each call's answer carries the codebooks once.
        var bytesPerRound = ((double)status.GradientBytesIn + (double)status.PushCalls * codebookBytes) / config.Rounds;
        var busy = status.BusySeconds / Math.Max(1e-9, (complete.Max(r => r.Steps[^1].EndTicks) - complete.Min(r => r.Steps[0].StartTicks)) * tick / 1000.0);
        var perSilo = reports.GroupBy(r => r.Silo).ToDictionary(g => g.Key, g => g.Count());
        return new ScaleResult(config, roundsPerSecond, Percentile(overheads, 0.5), Percentile(overheads, 0.99), gradientsPerSecond, bytesPerRound,
            busy, memoryMb / config.Silos, status.PushCalls, status.AppliedGradients, failed, perSilo);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>T5-base codebooks (the layout from config.json alone), one group of every task, the configuration's mode.</summary>
    private static string SpecJson(CodebookBenchRun run, IReadOnlyList<string> names, ScaleConfig config) => new JsonObject
    {
        ["backbone"] = run.Backbone,
        ["tasks"] = new JsonArray(names.Select(run.Task).ToArray()),
        ["aggregation"] = config.Mode == AggregationMode.Sync
            ? new JsonObject { ["mode"] = "sync" }
            // A gradient may be at most one pass over the tasks behind.
            : new JsonObject { ["mode"] = "async", ["max_staleness"] = config.Tasks },
        ["checkpoint_every"] = 0,
    }.ToJsonString();

    public static JsonObject ToJson(ScaleResult r) => new()
    {
        ["tasks"] = r.Config.Tasks,
        ["silos"] = r.Config.Silos,
        ["mode"] = r.Config.Mode == AggregationMode.Sync ? "sync" : "async",
        ["aggregation"] = r.Config.Hierarchical ? "hierarchical" : "flat",
        ["rounds"] = r.Config.Rounds,
        ["step_ms"] = r.Config.StepMs,
        ["straggler_p"] = r.Config.StragglerP,
        ["straggler_ms"] = r.Config.StragglerMs,
        ["deadline_ms"] = r.Config.DeadlineMs,
        ["rounds_per_s"] = Round(r.RoundsPerSecond),
        ["overhead_ms_p50"] = Round(r.OverheadMsP50),
        ["overhead_ms_p99"] = Round(r.OverheadMsP99),
        ["gradients_per_s"] = Round(r.GradientsPerSecond),
        ["bytes_per_round"] = Math.Round(r.BytesPerRound),
        ["codebook_busy_share"] = Math.Round(r.CodebookBusyShare, 4),
        ["silo_memory_mb"] = Round(r.SiloMemoryMb),
        ["cpu_ms_per_round"] = Round(r.CpuMsPerRound),
        ["allocated_mb_per_round"] = Round(r.AllocatedMbPerRound),
        ["gc_gen0_gen1_gen2"] = new JsonArray(r.Collections.Select(c => (JsonNode?)c).ToArray()),
        ["push_calls"] = r.PushCalls,
        ["applied_gradients"] = r.AppliedGradients,
        ["rejected_pushes"] = r.RejectedPushes,
        ["failed_tasks"] = r.Failed,
        ["tasks_per_silo"] = new JsonObject(r.TasksPerSilo.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
        ["machine"] = $"{Environment.ProcessorCount} cores, load {ThisMachine.LoadAverages()?[0].ToString(CultureInfo.InvariantCulture) ?? "unknown"}",
    };

    private static double Round(double value) => double.IsFinite(value) ? Math.Round(value, 3) : -1;

}
