using System.Text.Json;
using Accept.GrainInterfaces.Sweeps;
using Accept.Tests.Client;

namespace Accept.Tests.Grains.Sweeps;

/// <summary>Sweeps through the sweep, job, task and codebook grains on one coordinator and two workers (tiny backbone, tiny steps).</summary>
[Collection(GrainClusterCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class SweepGrainTests(GrainClusterFixture fixture)
{
    private string SweepSpec(string scheduler, int trials) => $$"""
        {
          "base": {{fixture.Run.Spec(steps: 20, checkpointEvery: 10, evalEvery: 10)}},
          "parameters": { "optimization.learning_rate": { "log_uniform": [0.001, 1.0] } },
          "search": { "kind": "random", "trials": {{trials}}, "seed": 11 },
          "scheduler": {{scheduler}},
          "max_concurrent_trials": 4
        }
        """;

    [Fact]
    public async Task Asha_sweep_finishes_with_trials_on_both_workers_stops_some_at_a_rung_and_one_reaches_max_steps()
    {
        var dir = Path.Combine(fixture.Run.Root, "sweep-asha");
        var sweep = fixture.Client.GetGrain<ISweepGrain>("sweep-asha");
        await sweep.Start(new SweepSubmission(SweepSpec("""{ "kind": "asha", "grace_steps": 5, "reduction_factor": 2, "max_steps": 20 }""", 6), dir, 2));

        var status = await WaitForEnd(sweep, TimeSpan.FromSeconds(150));

        Assert.Equal("completed", status.Phase);
        Assert.Contains(status.Trials, t => t.State == "stopped" && t.Step < 20);
        Assert.Contains(status.Trials, t => t.State == "completed" && t.Step == 20);
        Assert.True(status.Trials.SelectMany(t => (t.Silo ?? "").Split(',')).Where(s => s.Length > 0).Distinct().Count() >= 2,
            string.Join("; ", status.Trials.Select(t => $"{t.Name} {t.Silo}")));
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        Assert.Equal("loss", summary.RootElement.GetProperty("objective").GetString());
        Assert.Equal(6, summary.RootElement.GetProperty("trials").GetArrayLength());
        var best = summary.RootElement.GetProperty("best_trial").GetString();
        Assert.Equal(status.Trials[status.BestTrial!.Value].Name, best);
        Assert.True(File.Exists(Path.Combine(dir, "trials", best!, "metrics.jsonl")));
        Assert.True(new FileInfo(Path.Combine(dir, "objective.png")).Length > 1000);
        Assert.Contains("\"stop\"", File.ReadAllText(Path.Combine(dir, "trials.jsonl")));

        // The best trial's directory is a run like any other: summary.json, checkpoint-store.json, and `accept export` works on it.
        var run = summary.RootElement.GetProperty("trials").EnumerateArray().Single(t => t.GetProperty("id").GetString() == best).GetProperty("run_dir").GetString()!;
        using var runSummary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json")));
        Assert.Equal(status.Trials[status.BestTrial!.Value].Step, runSummary.RootElement.GetProperty("tasks").GetProperty("parity").GetProperty("steps").GetInt64());
        Assert.Contains(status.Trials[status.BestTrial!.Value].JobId, File.ReadAllText(Path.Combine(run, "checkpoint-store.json")));
        var output = Path.Combine(fixture.Run.Root, "sweep-asha-export");
        var (code, stdout, stderr) = AcceptProcess.Run(fixture.Run.Root, "export", "--run", run, "--out", output);
        Assert.True(code == 0, stdout + stderr);
        Assert.True(File.Exists(Path.Combine(output, "parity", "prompts.safetensors")), stdout);
        Assert.True(File.Exists(Path.Combine(output, "topic", "peft", "adapter_model.safetensors")), stdout);
    }

    [Fact]
    public async Task Pbt_sweep_records_lineage_and_an_exploiting_trial_resumes_at_the_donors_checkpoint_step()
    {
        var dir = Path.Combine(fixture.Run.Root, "sweep-pbt");
        var sweep = fixture.Client.GetGrain<ISweepGrain>("sweep-pbt");
        var spec = SweepSpec("""
            { "kind": "pbt", "interval_steps": 10, "quantile": 0.25, "max_steps": 30,
              "mutations": { "optimization.learning_rate": { "factors": [0.8, 1.25] } } }
            """, 4);
        await sweep.Start(new SweepSubmission(spec, dir, 4));

        var status = await WaitForEnd(sweep, TimeSpan.FromSeconds(240));

        Assert.Equal("completed", status.Phase);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        var lineage = summary.RootElement.GetProperty("lineage").EnumerateArray().ToList();
        Assert.NotEmpty(lineage);
        var first = lineage[0];
        Assert.Equal(10, first.GetProperty("step").GetInt64());
        Assert.NotEqual(first.GetProperty("trial").GetString(), first.GetProperty("donor").GetString());
        // The exploiting trial's second job started from a checkpoint of the donor's (every 10 steps, at or after the
        // interval), not from step 0: its tasks' first steps come right after that checkpoint's step.
        var trial = status.Trials.Single(t => t.Name == first.GetProperty("trial").GetString());
        var job = $"sweep-pbt.t{trial.Id:D3}.p1";
        foreach (var task in new[] { "parity", "topic" })
        {
            var points = await fixture.Client.GetGrain<Accept.GrainInterfaces.Tasks.ITaskGrain>(Accept.GrainInterfaces.GrainKeys.Task(job, task)).GetMetrics(0);
            Assert.NotEmpty(points);
            var resumedAt = points.Min(p => p.Step) - 1;
            Assert.True(resumedAt >= 10 && resumedAt % 10 == 0, $"{job}/{task} started after step {resumedAt}");
        }
        // Its run directory names its latest job; the exploit is in the decision log.
        Assert.Contains(trial.JobId, File.ReadAllText(Path.Combine(trial.RunDirectory, "checkpoint-store.json")));
        Assert.Contains("\"exploit\"", File.ReadAllText(Path.Combine(dir, "trials.jsonl")));
    }

    [Fact]
    public async Task Deterministic_asha_sweeps_run_twice_on_the_cluster_make_the_same_decisions()
    {
        const string Scheduler = """{ "kind": "asha", "grace_steps": 5, "reduction_factor": 2, "max_steps": 20, "deterministic": true }""";
        var outcomes = new List<string>();
        foreach (var id in new[] { "sweep-det-a", "sweep-det-b" })
        {
            var dir = Path.Combine(fixture.Run.Root, id);
            var sweep = fixture.Client.GetGrain<ISweepGrain>(id);
            // One run with 4 trials at once, one with 2: different timing, same decisions.
            var spec = SweepSpec(Scheduler, 5).Replace("\"max_concurrent_trials\": 4", id.EndsWith('a') ? "\"max_concurrent_trials\": 5" : "\"max_concurrent_trials\": 2");
            await sweep.Start(new SweepSubmission(spec, dir, 2));
            var status = await WaitForEnd(sweep, TimeSpan.FromSeconds(150));
            Assert.Equal("completed", status.Phase);
            var state = Accept.Training.Sweeps.SweepStateJson.FromJson(File.ReadAllText(Path.Combine(dir, "state.json")), "state.json");
            outcomes.Add(string.Join("; ", state.Decisions
                .Where(d => d.Kind is Accept.Training.Sweeps.DecisionKind.Continue or Accept.Training.Sweeps.DecisionKind.Stop)
                .Select(d => $"{d.Trial}@{d.Step}:{d.Kind}").Order())
                + " | " + string.Join(",", status.Trials.Select(t => t.State)));
        }
        Assert.Equal(outcomes[0], outcomes[1]);
        Assert.Contains("Stop", outcomes[0]);
    }

    internal static async Task<SweepStatus> WaitForEnd(ISweepGrain sweep, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var status = await sweep.GetStatus();
            if (status.Phase != "running") return status;
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"sweep still running after {limit}: {string.Join("; ", status.Trials.Select(t => $"{t.Name} {t.State} {t.Step}"))}");
            }
            await Task.Delay(200);
        }
    }
}
