using System.Text.Json;

namespace Accept.Tests.Client.Commands;

/// <summary>
/// `accept bench sweep` as a user runs it, at a tiny size: the sweep child, one `accept train` child per trial and
/// a memory child, then one JSON object whose figures must agree with each other and with the sweep it ran.
/// </summary>
[Trait("Category", "MultiProcess")]
public sealed class BenchSweepCommandTests
{
    [Fact]
    public async Task Bench_sweep_at_a_tiny_size_prints_consistent_json()
    {
        using var run = new TinyRun(steps: 8, evalEvery: 8);
        var spec = Path.Combine(run.Root, "sweep.json");
        File.WriteAllText(spec, $$"""
            {
              "base": "tiny.json",
              "parameters": { "optimization.learning_rate": { "log_uniform": [0.01, 1.0] } },
              "search": { "kind": "random", "trials": 5, "seed": 3 },
              "scheduler": { "kind": "asha", "grace_steps": 2, "reduction_factor": 2, "max_steps": 8 },
              "max_concurrent_trials": 2,
            }
            """);
        var work = Path.Combine(run.Root, "bench");

        var (code, stdout, stderr) = await AcceptProcess.RunAsync(TimeSpan.FromMinutes(8), "bench", "sweep", "--spec", spec, "--trials", "2", "--steps", "4",
            "--memory-trials", "2", "--memory-steps", "1", "--work-dir", work, "--cache-root", Path.Combine(run.Root, "cache"));

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("asha", root.GetProperty("scheduler").GetString());
        Assert.Equal(2, root.GetProperty("trials").GetInt32());
        Assert.Equal(4, root.GetProperty("max_steps").GetInt32());
        var sweepWall = root.GetProperty("wall_s_sweep").GetDouble();
        var sequentialWall = root.GetProperty("wall_s_sequential").GetDouble();
        Assert.True(sweepWall > 0 && sequentialWall > 0, stdout);
        // The walls are printed to 0.1 s and the ratio (of the unrounded walls) to 0.01.
        Assert.InRange(root.GetProperty("wall_ratio").GetDouble(), (sequentialWall - 0.05) / (sweepWall + 0.05) - 0.005,
            (sequentialWall + 0.05) / (sweepWall - 0.05) + 0.005);
        // The sweep's own record of its trials: the steps the bench counts are the steps the trials took.
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(root.GetProperty("sweep_dir").GetString()!, "summary.json")));
        var trials = summary.RootElement.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(2, trials.Count);
        Assert.All(trials, t => Assert.Contains(t.GetProperty("state").GetString(), new[] { "completed", "stopped" }));
        var ran = trials.Sum(t => t.GetProperty("steps").GetInt64());
        Assert.Equal(ran, root.GetProperty("asha_steps_run").GetInt64());
        Assert.Equal(8, root.GetProperty("fifo_steps").GetInt64());
        Assert.Equal(8 - ran, root.GetProperty("steps_saved").GetInt64());
        // One `accept train` run per trial, each for the steps that trial took in the sweep.
        Assert.Equal(2, Directory.GetFiles(Path.Combine(work, "sequential"), "*.json").Length);
        Assert.Equal(2, Directory.GetDirectories(Path.Combine(work, "sequential-runs")).Length);

        var memory = Assert.Single(root.GetProperty("memory").GetProperty("runs").EnumerateArray());
        Assert.Equal(2, memory.GetProperty("concurrent_trials").GetInt32());
        Assert.Equal(4, memory.GetProperty("tasks").GetInt32());
        Assert.Equal(4, memory.GetProperty("sessions").GetInt32());
        // Two trials of two tasks each, one silo: the backbone is loaded once.
        Assert.Equal(1, memory.GetProperty("backbone_loads").GetInt32());
        Assert.True(memory.GetProperty("rss_mb").GetDouble() > memory.GetProperty("baseline_rss_mb").GetDouble(), memory.ToString());
        Assert.Equal(3, root.GetProperty("load_average_start").GetArrayLength());
    }

    [Fact]
    public async Task Bench_sweep_rejects_trials_on_a_grid_search_naming_the_flag()
    {
        using var run = new TinyRun(steps: 4, evalEvery: 4);
        var spec = Path.Combine(run.Root, "grid.json");
        File.WriteAllText(spec, """
            { "base": "tiny.json", "parameters": { "method.prompt_length": { "grid": [2, 4] } }, "search": { "kind": "grid" } }
            """);

        var (code, _, stderr) = await AcceptProcess.RunAsync(TimeSpan.FromSeconds(60), "bench", "sweep", "--spec", spec, "--trials", "3");

        Assert.Equal(2, code);
        Assert.Contains("--trials 3", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }
}
