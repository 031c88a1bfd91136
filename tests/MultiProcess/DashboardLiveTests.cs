using System.Text.Json;
using Accept.Tests.Client;
using Accept.Tests.Cluster;

namespace Accept.Tests.MultiProcess;

/// <summary>
/// The Grafana dashboard against live data: Redis, a coordinator and two worker silo processes, a training
/// client and a sweep client, and a real Prometheus scraping the silos. Every panel's query, evaluated through Prometheus'
/// HTTP API while the job trains, must return data.
/// </summary>
[Trait("Category", "MultiProcess")]
public sealed class DashboardLiveTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [SkippableFact]
    public async Task Every_dashboard_panel_query_returns_data_from_a_live_scrape_of_a_training_cluster()
    {
        if (redis.Endpoint is null)
        {
            TestEnvironment.SkipOrFail(redis.Unavailable!);
        }
        if (TestEnvironment.FindOnPath("prometheus") is null)
        {
            TestEnvironment.SkipOrFail("prometheus is not on PATH (Debian package prometheus)");
        }
        Assert.True(File.Exists(SiloProcess.SiloAssembly), $"Build the silo first: {SiloProcess.SiloAssembly} is missing.");
        var queries = DashboardQueries();
        Assert.NotEmpty(queries);

        using var run = new TinyRun(steps: 100_000, evalEvery: 10);
        var clusterId = $"dash-{Guid.NewGuid():N}"[..20];
        Dictionary<string, string> Settings(string role, string name) => new(SiloProcess.RedisSettings(redis.Endpoint!, clusterId, role, name))
        {
            ["Accept__Checkpoints__Root"] = Path.Combine(run.Root, "checkpoints"),
        };
        await using var coordinator = SiloProcess.Start(Settings("coordinator", "coordinator"), TestEnvironment.FreePort());
        await using var worker1 = SiloProcess.Start(Settings("worker", "worker-1"), TestEnvironment.FreePort());
        await using var worker2 = SiloProcess.Start(Settings("worker", "worker-2"), TestEnvironment.FreePort());
        SiloProcess[] silos = [coordinator, worker1, worker2];
        await Task.WhenAll(silos.Select(s => s.WaitHealthyAsync(TimeSpan.FromSeconds(90))));
        await using var prometheus = await PrometheusServer.StartAsync(silos.Select(s => $"127.0.0.1:{s.HttpPort}"), TimeSpan.FromSeconds(60));

        using var client = AcceptProcess.Start(
            new Dictionary<string, string> { ["ACCEPT_STATE_DIR"] = run.Root },
            "train", "--spec", run.Spec, "--runs-dir", run.Runs, "--redis", redis.Endpoint!, "--cluster-id", clusterId);
        // A sweep on the same cluster, so the sweep panels have data: ASHA decides at rung 10 while its trials go on.
        var sweepSpec = Path.Combine(run.Root, "sweep.json");
        File.WriteAllText(sweepSpec, $$"""
            {
              "base": {{JsonSerializer.Serialize(run.Spec)}},
              "parameters": { "optimization.learning_rate": { "log_uniform": [0.01, 1.0] } },
              "search": { "kind": "random", "trials": 2, "seed": 3 },
              "scheduler": { "kind": "asha", "grace_steps": 10, "reduction_factor": 2, "max_steps": 100000 },
              "max_concurrent_trials": 2
            }
            """);
        using var sweeper = AcceptProcess.Start(
            new Dictionary<string, string> { ["ACCEPT_STATE_DIR"] = run.Root },
            "sweep", "--spec", sweepSpec, "--runs-dir", run.Runs, "--redis", redis.Endpoint!, "--cluster-id", clusterId);

        // Wait on the condition itself: every query answers with data, or the deadline passes.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        var missing = queries;
        while (missing.Count > 0 && DateTime.UtcNow < deadline)
        {
            var answers = await Task.WhenAll(missing.Select(async q => (Query: q, Values: await prometheus!.QueryAsync(q.Expr))));
            missing = answers.Where(a => a.Values.Count == 0).Select(a => a.Query).ToList();
            if (missing.Count > 0)
            {
                await Task.Delay(1000); // one scrape interval
            }
        }

        Assert.True(missing.Count == 0,
            "panels whose query returned no data:\n" + string.Join("\n", missing.Select(q => $"{q.Panel}: {q.Expr}")) +
            $"\nprometheus:\n{prometheus!.Output}\nworker-1:\n{worker1.Output}");
    }

    /// <summary>Every target of every panel, with the dashboard's $job variable matching any job.</summary>
    private static List<(string Panel, string Expr)> DashboardQueries()
    {
        var path = Path.Combine(TestEnvironment.RepositoryRoot, "k8s", "grafana", "accept-dashboard.json");
        using var dashboard = JsonDocument.Parse(File.ReadAllText(path));
        return dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray()
                .Select(t => (Panel: p.GetProperty("title").GetString()!, Expr: t.GetProperty("expr").GetString()!.Replace("$job", ".+", StringComparison.Ordinal).Replace("$sweep", ".+", StringComparison.Ordinal))))
            .ToList();
    }
}
