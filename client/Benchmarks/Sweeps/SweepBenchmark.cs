using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Accept.Training.Sweeps;

namespace Accept.Client.Benchmarks.Sweeps;

/// <summary>
/// `accept bench sweep`: the same trials run (1) as one sweep, `accept sweep` on its embedded cluster, and (2) one
/// after another, `accept train` per trial (each its own process and embedded cluster, so each loads the backbone),
/// every trial for the steps it ran in the sweep, so both sides do the same training work. Both sides are child
/// processes timed from launch to exit. Then the memory of one worker silo with K trials at once, one fresh process
/// per K (<see cref="SweepMemoryProbe"/>).
/// </summary>
internal static class SweepBenchmark
{
    public const string MemoryProbeFlag = "--memory-probe";

    /// <param name="SpecFile">The trimmed sweep spec (base prepared), written by the command.</param>
    public sealed record Options(string SpecFile, string WorkDirectory, string CacheRoot, int Silos, IReadOnlyList<int> MemoryTrials, int MemorySteps);

    public static async Task<JsonObject> RunAsync(Options options, Action<string> log, CancellationToken cancel)
    {
        var loadBefore = LoadAverage();
        var environment = new Dictionary<string, string> { ["ACCEPT_STATE_DIR"] = Path.Combine(options.WorkDirectory, "state") };
        string silos = options.Silos.ToString(CultureInfo.InvariantCulture);

        log($"sweep: accept sweep --spec {options.SpecFile} (embedded cluster of {silos} silos)");
        var (code, output, sweepWall) = await AcceptSelf.RunAsync(
            ["sweep", "--spec", options.SpecFile, "--runs-dir", Path.Combine(options.WorkDirectory, "sweeps"), "--cache-root", options.CacheRoot, "--silos", silos],
            environment, cancel);
        var lastLine = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
        if (code != 0) throw new InvalidOperationException($"the sweep exited with code {code}: {lastLine}");
        var state = new SweepDirectory(lastLine).ReadState() ?? throw new InvalidOperationException($"the sweep printed {lastLine}, which holds no state.json");
        var spec = SweepEngine.SpecOf(state);
        log($"sweep: {sweepWall.TotalSeconds:F1} s, {state.Phase}");

        var ran = state.Trials.Where(t => t.State != TrialState.Invalid && t.Step > 0).ToList();
        var sequentialWall = TimeSpan.Zero;
        foreach (var trial in ran)
        {
            var (json, _) = SweepEngine.TrialSpec(spec, trial.Params);
            var (_, withSteps, error) = RunSpecPaths.TryApply(json, [KeyValuePair.Create("optimization.steps", trial.Step.ToString(CultureInfo.InvariantCulture))]);
            if (error is not null) throw new InvalidOperationException($"{trial.Name} with {trial.Step} steps: {error}");
            var file = Path.Combine(options.WorkDirectory, "sequential", $"{trial.Name}.json");
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllTextAsync(file, withSteps, cancel);
            log($"sequential: accept train --spec {file} ({trial.Step} steps)");
            var (trainCode, trainOutput, wall) = await AcceptSelf.RunAsync(
                ["train", "--spec", file, "--runs-dir", Path.Combine(options.WorkDirectory, "sequential-runs"), "--cache-root", options.CacheRoot, "--silos", silos],
                environment, cancel);
            if (trainCode != 0) throw new InvalidOperationException($"accept train of {trial.Name} exited with code {trainCode}: {trainOutput.Trim().Split('\n')[^1]}");
            log($"sequential: {trial.Name} {wall.TotalSeconds:F1} s");
            sequentialWall += wall;
        }

        var memory = new JsonArray();
        foreach (var k in options.MemoryTrials)
        {
            log($"memory: one worker silo with {k} concurrent trial(s), in a fresh process");
            var (memoryCode, report, _) = await AcceptSelf.RunAsync(
                ["bench", "sweep", "--spec", options.SpecFile, "--work-dir", options.WorkDirectory, "--memory-trials", k.ToString(CultureInfo.InvariantCulture),
                    "--memory-steps", options.MemorySteps.ToString(CultureInfo.InvariantCulture), MemoryProbeFlag],
                environment, cancel);
            if (memoryCode != 0) throw new InvalidOperationException($"the memory measurement with {k} trial(s) exited with code {memoryCode}");
            memory.Add(JsonNode.Parse(report.Trim()));
        }

        var sweepSteps = ran.Sum(t => t.Step);
        var fifoSteps = (long)state.Trials.Count(t => t.State != TrialState.Invalid) * spec.Scheduler.MaxSteps;
        return new JsonObject
        {
            ["spec"] = options.SpecFile,
            ["sweep_dir"] = lastLine,
            ["scheduler"] = spec.Scheduler.Kind.ToString().ToLowerInvariant(),
            ["trials"] = state.Trials.Count,
            ["trials_run"] = ran.Count,
            ["trial_states"] = JsonSerializer.SerializeToNode(state.Trials.GroupBy(t => t.State.ToString().ToLowerInvariant()).ToDictionary(g => g.Key, g => g.Count())),
            ["max_steps"] = spec.Scheduler.MaxSteps,
            ["max_concurrent_trials"] = spec.MaxConcurrentTrials ?? options.Silos,
            ["silos"] = options.Silos,
            ["wall_s_sweep"] = Math.Round(sweepWall.TotalSeconds, 1),
            ["wall_s_sequential"] = Math.Round(sequentialWall.TotalSeconds, 1),
            ["wall_ratio"] = Math.Round(sequentialWall / sweepWall, 2),
            ["sweep"] = $"one `accept sweep` process, embedded cluster of {silos} silos, trials sharing each silo's backbone",
            ["sequential"] = $"`accept train` per trial, one after another, each a fresh process with its own embedded cluster of {silos} silos (its own backbone load), each trial for the steps it ran in the sweep",
            ["asha_steps_run"] = sweepSteps,
            ["fifo_steps"] = fifoSteps,
            ["steps_saved"] = fifoSteps - sweepSteps,
            ["steps_saved_fraction"] = fifoSteps > 0 ? Math.Round((double)(fifoSteps - sweepSteps) / fifoSteps, 3) : null,
            ["memory"] = new JsonObject
            {
                ["method"] = "one worker silo (embedded cluster of one silo and its client) in a fresh `accept` process per count: process RSS after the silo started "
                    + "(baseline_rss_mb) and once every trial took steps_per_trial steps (rss_mb); peak_rss_mb is the process's VmHWM",
                ["runs"] = memory,
                ["extra_mb_per_trial"] = ExtraPerTrial(memory),
            },
            ["load_average_start"] = loadBefore,
            ["load_average_end"] = LoadAverage(),
        };
    }

    /// <summary>The RSS slope between the fewest and the most concurrent trials: what each further trial costs a silo.</summary>
    private static double? ExtraPerTrial(JsonArray memory)
    {
        var runs = memory.Select(r => (Trials: r!["concurrent_trials"]!.GetValue<int>(), Rss: r["rss_mb"]!.GetValue<double>())).ToList();
        if (runs.Count < 2) return null;
        var (fewest, most) = (runs.MinBy(r => r.Trials), runs.MaxBy(r => r.Trials));
        return most.Trials > fewest.Trials ? Math.Round((most.Rss - fewest.Rss) / (most.Trials - fewest.Trials), 1) : null;
    }

    private static JsonArray? LoadAverage() => ThisMachine.LoadAverages() is { } load ? [.. load.Select(l => (JsonNode)l)] : null;
}
