using Accept.GrainInterfaces.Jobs;
using Accept.GrainInterfaces.Sweeps;
using Accept.Tests.Cluster;
using Accept.Training.Sweeps;

namespace Accept.Tests.Grains.Sweeps;

/// <summary>
/// The silo hosting the sweep grain is killed mid-sweep (no deactivation, no goodbye). One coordinator,
/// "Secondary_1", hosting the sweep, its trials' jobs and their codebook groups, and one worker, "Primary" (it holds
/// the test cluster's membership and so must survive). The jobs come back on the worker from their checkpoints when
/// their tasks call them, but without their subscribers: nothing calls the sweep grain, neither the client nor a job.
/// Its wake-up reminder (kept in Redis, as on a Redis cluster) brings it back on the worker from its persisted state,
/// and it finishes with the same decisions as an uninterrupted sweep (deterministic ASHA).
/// </summary>
[Trait("Category", "Cluster")]
public sealed class SweepFailoverTests(RedisFixture redis) : IClassFixture<RedisFixture>
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

    [SkippableFact]
    public async Task A_sweep_whose_silo_is_killed_with_its_jobs_comes_back_by_itself_and_decides_as_an_uninterrupted_one()
    {
        if (redis.Endpoint is null)
        {
            TestEnvironment.SkipOrFail(redis.Unavailable!);
        }
        using var run = new TinyRun();
        await using var cluster = GrainSiloConfigurator.Build(run.Checkpoints, workers: 1, roundTimeoutSeconds: 1.5, fastFailureDetection: true,
            reminderRedis: redis.Endpoint, primaryIsWorker: true);
        await cluster.DeployAsync();
        var client = cluster.Client;

        var reference = client.GetGrain<ISweepGrain>("sweep-ref");
        await reference.Start(new SweepSubmission(Spec(run), Path.Combine(run.Root, "sweep-ref"), 2));
        var expected = await WaitFor(reference, s => s.Phase != "running", TimeSpan.FromSeconds(240));

        var management = client.GetGrain<IManagementGrain>(0);
        var doomed = cluster.Silos.Single(s => s.Name == "Secondary_1");
        var (sweep, id) = await SweepOn(client, management, doomed.SiloAddress);
        var dir = Path.Combine(run.Root, id);
        await sweep.Start(new SweepSubmission(Spec(run), dir, 2));
        var before = await WaitFor(sweep, s => s.Trials.Any(t => t.Rung is not null), TimeSpan.FromSeconds(120));
        var host = await management.GetActivationAddress(sweep);
        Assert.Equal(doomed.SiloAddress, host);
        // Every running trial's job (the sweep's subscriptions) dies with it.
        foreach (var trial in before.Trials.Where(t => t.State is "running" or "paused"))
        {
            Assert.Equal(doomed.SiloAddress, await management.GetActivationAddress(client.GetGrain<IJobGrain>(trial.JobId)));
        }
        await cluster.KillSiloAsync(doomed);

        // No call to the sweep: its reminder reactivates it on the worker, and it finishes, which its directory's
        // state.json (written by the grain) shows.
        var ended = await WaitForFile(dir, TimeSpan.FromSeconds(300));
        var moved = await management.GetActivationAddress(sweep);
        Assert.Equal(SweepPhase.Completed, ended);
        var status = await sweep.GetStatus();

        Assert.Equal("completed", status.Phase);
        Assert.NotNull(moved);
        Assert.NotEqual(host, moved);
        Assert.True(expected.Trials.Select(t => t.State).SequenceEqual(status.Trials.Select(t => t.State)),
            string.Join("; ", status.Trials.Select(t => $"{t.Name} {t.State} {t.Reason}")));
        Assert.Equal(RungDecisions(Path.Combine(run.Root, "sweep-ref")), RungDecisions(dir));
        Assert.Equal("Primary", cluster.Silos.Single(s => s.SiloAddress.Equals(moved)).Name);
        Assert.Contains("Stop", RungDecisions(dir));
    }

    /// <summary>A sweep id whose grain activated on <paramref name="silo"/> (placement among coordinators is random).</summary>
    private static async Task<(ISweepGrain Sweep, string Id)> SweepOn(IClusterClient client, IManagementGrain management, SiloAddress silo)
    {
        for (var i = 0; i < 40; i++)
        {
            var id = $"sweep-kill-{i}";
            var sweep = client.GetGrain<ISweepGrain>(id);
            // Any call activates it; an unstarted sweep answers with an error.
            await Assert.ThrowsAnyAsync<Exception>(() => sweep.GetStatus());
            if (silo.Equals(await management.GetActivationAddress(sweep))) return (sweep, id);
        }
        throw new InvalidOperationException($"no sweep grain placed on {silo} in 40 tries");
    }

    /// <summary>Reads the sweep directory's state.json (written atomically by the grain) until its phase is no longer running.</summary>
    private static async Task<SweepPhase> WaitForFile(string dir, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        var phase = SweepPhase.Running;
        while (DateTime.UtcNow < deadline)
        {
            phase = new SweepDirectory(dir).ReadState()?.Phase ?? SweepPhase.Running;
            if (phase != SweepPhase.Running) return phase;
            await Task.Delay(200);
        }
        throw new TimeoutException($"the sweep in {dir} still {phase} after {limit} with no client call: its reminder did not bring it back");
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
