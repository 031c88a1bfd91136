using System.Text.Json;
using Accept.Tests.Client;
using Accept.Tests.Cluster;

namespace Accept.Tests.MultiProcess;

/// <summary>
/// A sweep keeps running on the cluster when its client dies: `accept sweep --redis` is killed once a trial
/// trains; `accept sweep status --json` (a new process, as a script asks) still reports the sweep, which finishes
/// on the silo processes with every trial decided and its summary written.
/// </summary>
[Trait("Category", "MultiProcess")]
public sealed class SweepClientKillTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [SkippableFact]
    public async Task A_sweep_whose_client_process_is_killed_finishes_on_the_cluster_and_status_reports_it()
    {
        if (redis.Endpoint is null)
        {
            TestEnvironment.SkipOrFail(redis.Unavailable!);
        }
        Assert.True(File.Exists(SiloProcess.SiloAssembly), $"Build the silo first: {SiloProcess.SiloAssembly} is missing.");
        using var run = new TinyRun(steps: 10, evalEvery: 5);
        var clusterId = $"swk-{Guid.NewGuid():N}"[..20];
        Dictionary<string, string> Settings(string role, string name) => new(SiloProcess.RedisSettings(redis.Endpoint!, clusterId, role, name))
        {
            ["Accept__Checkpoints__Root"] = Path.Combine(run.Root, "checkpoints"),
        };
        await using var coordinator = SiloProcess.Start(Settings("coordinator", "coordinator"), TestEnvironment.FreePort());
        await using var worker = SiloProcess.Start(Settings("worker", "worker-1"), TestEnvironment.FreePort());
        await Task.WhenAll(coordinator.WaitHealthyAsync(TimeSpan.FromSeconds(90)), worker.WaitHealthyAsync(TimeSpan.FromSeconds(90)));

        var sweepSpec = Path.Combine(run.Root, "sweep.json");
        File.WriteAllText(sweepSpec, $$"""
            {
              "base": {{JsonSerializer.Serialize(run.Spec)}},
              "parameters": { "optimization.learning_rate": { "log_uniform": [0.01, 1.0] } },
              "search": { "kind": "random", "trials": 3, "seed": 3 },
              "scheduler": { "kind": "asha", "grace_steps": 5, "reduction_factor": 2, "max_steps": 10 },
              "max_concurrent_trials": 2
            }
            """);
        var state = new Dictionary<string, string> { ["ACCEPT_STATE_DIR"] = run.Root };
        string[] cluster = ["--redis", redis.Endpoint!, "--cluster-id", clusterId];
        using (var client = AcceptProcess.Start(state, ["sweep", "--spec", sweepSpec, "--runs-dir", run.Runs, .. cluster]))
        {
            // Killed (no goodbye) once the sweep has a trial past its first step.
            await WaitForStatus(state, cluster, s => s.GetProperty("Trials").EnumerateArray().Any(t => t.GetProperty("Step").GetInt64() > 0), TimeSpan.FromMinutes(3));
        }

        var final = await WaitForStatus(state, cluster, s => s.GetProperty("Phase").GetString() != "running", TimeSpan.FromMinutes(4));

        Assert.Equal("completed", final.GetProperty("Phase").GetString());
        var trials = final.GetProperty("Trials").EnumerateArray().ToList();
        Assert.Equal(3, trials.Count);
        Assert.All(trials, t => Assert.Contains(t.GetProperty("State").GetString(), new[] { "completed", "stopped" }));
        var directory = final.GetProperty("Directory").GetString()!;
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "summary.json")));
        Assert.Equal("completed", summary.RootElement.GetProperty("phase").GetString());
    }

    /// <summary>`accept sweep status --json` (the last sweep started under ACCEPT_STATE_DIR) until <paramref name="done"/>.</summary>
    private static async Task<JsonElement> WaitForStatus(Dictionary<string, string> state, string[] cluster, Func<JsonElement, bool> done, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            var (code, stdout, stderr) = await AcceptProcess.RunAsync(state, TimeSpan.FromMinutes(1), ["sweep", "status", "--json", .. cluster]);
            if (code == 0)
            {
                var status = JsonDocument.Parse(stdout).RootElement.Clone();
                if (done(status)) return status;
            }
            last = $"exit {code}: {stdout}{stderr}";
        }
        throw new TimeoutException($"sweep status condition not met after {limit}; last answer: {last}");
    }
}
