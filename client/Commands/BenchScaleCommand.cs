using System.CommandLine;
using System.Globalization;
using Accept.Client.Benchmarks;
using Accept.Client.Benchmarks.Scale;
using Accept.Client.Cluster;
using Accept.Client.Options;
using Accept.Training.Config;
using Accept.Training.T5;

namespace Accept.Client.Commands;

/// <summary>
/// `accept bench scale`: simulated tasks (synthetic steps, T5-base codebooks) through the real task link,
/// silo aggregators and codebook grain on an embedded cluster per silo count; one JSON line per configuration.
/// </summary>
internal static class BenchScaleCommand
{
    public static Command Create()
    {
        var tasks = CountListOption.Create("--tasks", "Task counts (one codebook group)", 1, 100_000, 16, 160, 1600);
        var silos = CountListOption.Create("--silos", "Silo counts (an embedded cluster each)", 1, 16, 2, 4);
        var mode = new Option<string>("--mode") { Description = "sync, async or sync,async", DefaultValueFactory = _ => "sync" };
        var rounds = new Option<int>("--rounds") { Description = "Steps per task (sync: rounds); the first is warm-up", DefaultValueFactory = _ => 10 };
        var stepMs = new Option<double>("--step-ms") { Description = "Every synthetic step's time in ms", DefaultValueFactory = _ => 0 };
        var stragglerP = new Option<double>("--straggler-p") { Description = "Probability that a step is a straggler", DefaultValueFactory = _ => 0 };
        var stragglerMs = new Option<double>("--straggler-ms") { Description = "A straggler step's time in ms", DefaultValueFactory = _ => 0 };
        var flat = new Option<bool>("--flat") { Description = "Also measure the flat path (one push per task) beside hierarchical aggregation" };
        var deadline = CountListOption.Create("--deadline-ms", "Sync round deadlines in ms (0: wait for every task), e.g. 0,150", 0, 600_000, 0);
        var seed = new Option<int>("--seed") { Description = "Seed of the synthetic gradients and step times", DefaultValueFactory = _ => 1 };
        var warmup = new Option<int>("--warmup-rounds")
        {
            Description = "Unmeasured rounds per cluster, mode and aggregation at the largest task count before the measured runs, so the JIT has compiled the hot paths optimised (0: none)",
            DefaultValueFactory = _ => 5,
        };
        var window = new Option<double>("--window-ms")
        {
            Description = "Each silo's aggregation window in ms (Accept:Silo:AggregationWindowMs): pushes of one silo within it go to the group as one batch",
            DefaultValueFactory = _ => new Grains.Hosting.AcceptSiloOptions().AggregationWindowMs,
        };
        var command = new Command("scale", "Coordination cost by task and silo count with synthetic steps on the real grains (JSON lines)")
        {
            tasks, silos, mode, rounds, stepMs, stragglerP, stragglerMs, flat, deadline, seed, warmup, window,
        };
        command.SetAction((parse, cancel) => ClusterErrors.ReportAsync(async () =>
        {
            var taskCounts = parse.GetValue(tasks)!;
            var siloCounts = parse.GetValue(silos)!;
            var modes = Modes(parse.GetValue(mode)!);
            var roundCount = parse.GetValue(rounds);
            if (roundCount < 2)
            {
                throw new ArgumentException($"--rounds {roundCount}: expected at least 2 (the first is warm-up).");
            }
            var step = NonNegative(parse.GetValue(stepMs), "--step-ms");
            var p = parse.GetValue(stragglerP);
            if (!(p >= 0 && p <= 1))
            {
                throw new ArgumentException($"--straggler-p {p}: expected a probability from 0 to 1.");
            }
            var straggler = NonNegative(parse.GetValue(stragglerMs), "--straggler-ms");
            var deadlines = parse.GetValue(deadline)!;
            var aggregations = parse.GetValue(flat) ? new[] { true, false } : [true];
            var windowMs = parse.GetValue(window);
            if (!(windowMs >= 0 && windowMs <= 1000))
            {
                throw new ArgumentException($"--window-ms {windowMs}: expected 0 to 1000 milliseconds.");
            }
            var warmupRounds = parse.GetValue(warmup);
            if (warmupRounds is < 0 or > 1000)
            {
                throw new ArgumentException($"--warmup-rounds {warmupRounds}: expected 0 to 1000.");
            }
            var work = Directory.CreateTempSubdirectory("accept-bench-scale-");
            try
            {
                var run = await CodebookBenchRun.WriteAsync(work.FullName, cancel);
                foreach (var siloCount in siloCounts)
                {
                    Console.Error.WriteLine($"starting an embedded cluster of {siloCount} silos");
                    await using var cluster = await EmbeddedCluster.StartAsync(new EmbeddedClusterOptions(Path.Combine(work.FullName, $"checkpoints-{siloCount}"), siloCount, AggregationWindowMs: windowMs), cancel);
                    await WarmUpAsync(cluster, siloCount, modes, aggregations, taskCounts.Max(), warmupRounds, run, cancel);
                    foreach (var m in modes)
                    {
                        foreach (var taskCount in taskCounts)
                        {
                            foreach (var hierarchical in aggregations)
                            {
                                foreach (var deadlineMs in m == AggregationMode.Sync ? deadlines : [0])
                                {
                                    var config = new ScaleConfig(taskCount, siloCount, m, hierarchical, roundCount, step, p, straggler, deadlineMs, parse.GetValue(seed));
                                    Console.Error.WriteLine($"{taskCount} tasks, {siloCount} silos, {m}, {(hierarchical ? "hierarchical" : "flat")}, deadline {deadlineMs} ms: {roundCount} rounds");
                                    var result = await ScaleBenchmark.RunAsync(cluster.Client, config, run, Console.Error.WriteLine, cancel);
                                    var line = ScaleBenchmark.ToJson(result);
                                    line["warmup_rounds"] = warmupRounds;
                                    line["window_ms"] = windowMs;
                                    Console.WriteLine(line.ToJsonString());
                                }
                            }
                        }
                    }
                }
                return 0;
            }
            finally
            {
                work.Delete(recursive: true);
            }
        }));
        return command;
    }

    /// <summary>
    /// Runs every measured path once, unmeasured: a silo that has run for a while executes optimised (tier-1) code,
    /// while a fresh process starts in tier-0 and recompiles its hot methods in the background for seconds; measured
    /// from cold, a short configuration mostly timed the JIT (1,600 tasks, 4 silos: 136 ms overhead with every method
    /// optimised at once against 425 ms cold, same machine and load).
    /// </summary>
    private static async Task WarmUpAsync(EmbeddedCluster cluster, int silos, IReadOnlyList<AggregationMode> modes, bool[] aggregations, int tasks, int rounds, CodebookBenchRun run, CancellationToken cancel)
    {
        if (rounds == 0)
        {
            return;
        }
        foreach (var m in modes)
        {
            foreach (var hierarchical in aggregations)
            {
                Console.Error.WriteLine($"warm-up (not measured): {tasks} tasks, {silos} silos, {m}, {(hierarchical ? "hierarchical" : "flat")}: {rounds} rounds");
                await ScaleBenchmark.RunAsync(cluster.Client, new ScaleConfig(tasks, silos, m, hierarchical, Math.Max(2, rounds), 0, 0, 0), run, Console.Error.WriteLine, cancel);
            }
        }
    }

    private static IReadOnlyList<AggregationMode> Modes(string text) =>
        text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(m => m switch
        {
            "sync" => AggregationMode.Sync,
            "async" => AggregationMode.Async,
            _ => throw new ArgumentException($"--mode: '{m}' is not sync or async (e.g. --mode sync,async)."),
        }).ToList();

    private static double NonNegative(double value, string flag) =>
        value >= 0 && double.IsFinite(value) ? value : throw new ArgumentException($"{flag} {value}: expected 0 or more milliseconds.");
}
