using Accept.GrainInterfaces.Sweeps;
using Accept.Training.Sweeps;

namespace Accept.Tests.Grains.Sweeps;

/// <summary>
/// The silo hosting the sweep grain is killed mid-sweep (no deactivation, no goodbye). Two coordinators
/// (secondaries, so the primary that holds the test cluster's membership survives) and one worker: the
/// sweep grain comes back on the other coordinator from its persisted state and finishes with the same
/// decisions as an uninterrupted sweep (deterministic ASHA).
/// </summary>
[Trait("Category", "Cluster")]
public sealed class SweepFailoverTests
{
    private const string Scheduler = """{ "kind": "asha", "grace_steps": 5, "reduction_factor": 2, "max_steps": 20, "deterministic": true }""";

    private static string Spec(TinyRun run) => $$"""
        {
          "base": {{run.Spec(steps: 20, checkpointEvery: 5, evalEvery: 5)}},
          "parameters": { "optimization.learning_rate": { "log_uniform": [0.001, 1.0] } },
          "search": { "kind": "random", "trials": 4, "seed": 11 },
          "scheduler": {{Scheduler}},
          "max_concurrent_trials": 2
        }
        """;

    [Fact]
    public async Task A_sweep_whose_silo_is_killed_comes_back_on_another_coordinator_and_decides_as_an_uninterrupted_one()
    {
        using var run = new TinyRun();
        await using var cluster = GrainSiloConfigurator.Build(run.Checkpoints, workers: 2, roundTimeoutSeconds: 1.5, fastFailureDetection: true,
            coordinators: ["Secondary_1", "Secondary_2"]);
        await cluster.DeployAsync();
        var client = cluster.Client;

        var reference = client.GetGrain<ISweepGrain>("sweep-ref");
        await reference.Start(new SweepSubmission(Spec(run), Path.Combine(run.Root, "sweep-ref"), 2));
        var expected = await WaitFor(reference, s => s.Phase != "running", TimeSpan.FromSeconds(240));

        var sweep = client.GetGrain<ISweepGrain>("sweep-kill");
        var dir = Path.Combine(run.Root, "sweep-kill");
        await sweep.Start(new SweepSubmission(Spec(run), dir, 2));
        await WaitFor(sweep, s => s.Trials.Any(t => t.Rung is not null), TimeSpan.FromSeconds(120));
        var management = client.GetGrain<IManagementGrain>(0);
        var host = await management.GetActivationAddress(sweep) ?? throw new InvalidOperationException("the sweep grain has no activation");
        var doomed = cluster.Silos.Single(s => s.SiloAddress.Equals(host));
        Assert.NotEqual("Primary", doomed.Name);
        await cluster.KillSiloAsync(doomed);

        // The next call reactivates the sweep on the surviving coordinator from its persisted state.
        var status = await WaitFor(sweep, s => s.Phase != "running", TimeSpan.FromSeconds(300));
        var moved = await management.GetActivationAddress(sweep);

        Assert.Equal("completed", status.Phase);
        Assert.NotNull(moved);
        Assert.NotEqual(host, moved);
        Assert.True(expected.Trials.Select(t => t.State).SequenceEqual(status.Trials.Select(t => t.State)),
            string.Join("; ", status.Trials.Select(t => $"{t.Name} {t.State} {t.Reason}")));
        Assert.Equal(RungDecisions(Path.Combine(run.Root, "sweep-ref")), RungDecisions(dir));
        Assert.Contains("Stop", RungDecisions(dir));
    }

    private static string RungDecisions(string dir) =>
        string.Join("; ", SweepStateJson.FromJson(File.ReadAllText(Path.Combine(dir, "state.json")), "state.json").Decisions
            .Where(d => d.Kind is DecisionKind.Continue or DecisionKind.Stop)
            .Select(d => $"{d.Trial}@{d.Step}:{d.Kind}").Order());

    /// <summary>Polls until <paramref name="done"/>; calls failing while the killed silo is declared dead are retried.</summary>
    private static async Task<SweepStatus> WaitFor(ISweepGrain sweep, Func<SweepStatus, bool> done, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var status = await sweep.GetStatus();
                if (done(status)) return status;
                last = string.Join("; ", status.Trials.Select(t => $"{t.Name} {t.State} {t.Step}"));
            }
            catch (Exception e) when (e is SiloUnavailableException or TimeoutException or OrleansMessageRejectionException)
            {
                last = e.Message;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"sweep condition not met after {limit}: {last}");
    }
}
