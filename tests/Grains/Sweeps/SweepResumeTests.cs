using Accept.GrainInterfaces.Sweeps;
using Accept.Training.Sweeps;

namespace Accept.Tests.Grains.Sweeps;

/// <summary>
/// `accept sweep --resume` after everything stopped: the whole cluster goes down mid-sweep, a new cluster on the
/// same checkpoint store is given the sweep directory's state.json. Completed trials are not run again, the
/// running one continues, the pending ones start, and every decision and rung record made before is kept.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class SweepResumeTests
{
    [Fact]
    public async Task A_sweep_resumed_on_a_new_cluster_keeps_its_decisions_and_rung_records_and_runs_only_what_was_left()
    {
        using var run = new TinyRun();
        var dir = Path.Combine(run.Root, "sweep-resume");
        var spec = $$"""
            {
              "base": {{run.Spec(steps: 20, checkpointEvery: 5, evalEvery: 5)}},
              "parameters": { "optimization.learning_rate": { "log_uniform": [0.001, 1.0] } },
              "search": { "kind": "random", "trials": 4, "seed": 5 },
              "scheduler": { "kind": "asha", "grace_steps": 5, "reduction_factor": 2, "max_steps": 20 },
              "max_concurrent_trials": 1
            }
            """;
        SweepState before;
        await using (var first = GrainSiloConfigurator.Build(run.Checkpoints, workers: 1))
        {
            await first.DeployAsync();
            var sweep = first.Client.GetGrain<ISweepGrain>("sweep-resume");
            await sweep.Start(new SweepSubmission(spec, dir, 1));
            // Stop everything once a trial has ended and another one is running.
            await WaitFor(sweep, s => s.Trials.Any(t => t.State is "completed" or "stopped") && s.Trials.Any(t => t.State == "running"), TimeSpan.FromSeconds(180));
            await first.StopAllSilosAsync();
            before = new SweepDirectory(dir).ReadState()!;
        }
        Assert.Equal(SweepPhase.Running, before.Phase);
        Assert.Contains(before.Trials, t => t.State == TrialState.Pending);

        await using var second = GrainSiloConfigurator.Build(run.Checkpoints, workers: 1);
        await second.DeployAsync();
        var resumed = second.Client.GetGrain<ISweepGrain>("sweep-resume");
        await resumed.Start(new SweepSubmission(spec, dir, 1, File.ReadAllText(new SweepDirectory(dir).StatePath)));
        var status = await WaitFor(resumed, s => s.Phase != "running", TimeSpan.FromSeconds(240));
        var after = new SweepDirectory(dir).ReadState()!;

        Assert.Equal("completed", status.Phase);
        // Every decision made before is kept as it was, in order; each trial started exactly once.
        Assert.Equal(before.Decisions, after.Decisions.Take(before.Decisions.Count));
        Assert.All(after.Trials, t => Assert.Equal(1, after.Decisions.Count(d => d.Trial == t.Id && d.Kind == DecisionKind.Start)));
        // Trials that had ended are not run again; the pending ones ran.
        foreach (var ended in before.Trials.Where(t => t.IsFinal))
        {
            Assert.Equal((ended.State, ended.Step), (after.Trial(ended.Id).State, after.Trial(ended.Id).Step));
            Assert.Equal(1, after.Decisions.Count(d => d.Trial == ended.Id && d.Kind == DecisionKind.End));
        }
        Assert.All(before.Trials.Where(t => t.State == TrialState.Pending), t => Assert.True(after.Trial(t.Id).IsFinal && after.Trial(t.Id).Step > 0));
        // Rung records made before are kept.
        foreach (var (rung, results) in before.Rungs)
        {
            Assert.Equal(results, after.Rungs[rung].Take(results.Count));
        }
    }

    private static async Task<SweepStatus> WaitFor(ISweepGrain sweep, Func<SweepStatus, bool> done, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var status = await sweep.GetStatus();
            if (done(status)) return status;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"sweep condition not met after {limit}: {string.Join("; ", status.Trials.Select(t => $"{t.Name} {t.State} {t.Step}"))}");
            await Task.Delay(200);
        }
    }
}
