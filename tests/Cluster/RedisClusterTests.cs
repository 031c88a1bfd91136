using Accept.GrainInterfaces.Diagnostics;
using Accept.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Accept.Tests.Cluster;

/// <summary>Two silo processes and a client meet through Redis, as on several machines.</summary>
[Trait("Category", "MultiProcess")]
public sealed class RedisClusterTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [SkippableFact]
    public async Task Two_silo_processes_form_a_cluster_through_redis_serve_grains_and_expose_metrics()
    {
        if (redis.Endpoint is null)
        {
            TestEnvironment.SkipOrFail(redis.Unavailable!);
        }
        Assert.True(File.Exists(SiloProcess.SiloAssembly), $"Build the silo first: {SiloProcess.SiloAssembly} is missing.");
        var clusterId = $"test-{Guid.NewGuid():N}";
        var checkpoints = Directory.CreateTempSubdirectory("accept-cluster-ckpt-").FullName;
        var cluster = new AcceptClusterOptions
        {
            ClusterId = clusterId,
            ServiceId = clusterId,
            Clustering = ClusteringKind.Redis,
            RedisConnectionString = redis.Endpoint,
        };
        Dictionary<string, string> Settings(string role, int gatewayPort) => new()
        {
            ["Accept__Cluster__Clustering"] = "Redis",
            ["Accept__Cluster__RedisConnectionString"] = redis.Endpoint!,
            ["Accept__Cluster__ClusterId"] = clusterId,
            ["Accept__Cluster__ServiceId"] = clusterId,
            ["Accept__Cluster__AdvertisedAddress"] = "127.0.0.1",
            ["Accept__Cluster__GatewayPort"] = gatewayPort.ToString(),
            ["Accept__Silo__Role"] = role,
            ["Accept__Silo__Name"] = role,
            ["Accept__Checkpoints__Root"] = checkpoints,
        };

        try
        {
            await using var coordinator = SiloProcess.Start(Settings("coordinator", TestEnvironment.FreePort()), TestEnvironment.FreePort());
            await using var worker = SiloProcess.Start(Settings("worker", TestEnvironment.FreePort()), TestEnvironment.FreePort());
            await Task.WhenAll(coordinator.WaitHealthyAsync(TimeSpan.FromSeconds(90)), worker.WaitHealthyAsync(TimeSpan.FromSeconds(90)));

            using var host = new HostBuilder().UseOrleansClient(client => AcceptClientBuilder.Configure(client, cluster)).Build();
            await host.StartAsync();
            var grains = host.Services.GetRequiredService<IClusterClient>();

            var anywhere = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => grains.GetGrain<IProbeGrain>($"p-{i}").Where()));
            var workersOnly = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => grains.GetGrain<IWorkerProbeGrain>($"w-{i}").Where()));

            Assert.Equal(["coordinator", "worker"], anywhere.Select(p => p.SiloName).Distinct().Order());
            Assert.Contains(anywhere, p => p.SiloAddress.StartsWith($"127.0.0.1:{coordinator.SiloPort}@", StringComparison.Ordinal));
            Assert.All(workersOnly, p => Assert.StartsWith($"127.0.0.1:{worker.SiloPort}@", p.SiloAddress));

            using var http = new HttpClient();
            foreach (var (silo, role) in new[] { (coordinator, "coordinator"), (worker, "worker") })
            {
                var scrape = await http.GetStringAsync($"{silo.BaseAddress}/metrics");
                Assert.Contains("# TYPE accept_silo_slots gauge", scrape);
                Assert.Contains($"role=\"{role}\"", scrape);
                Assert.Contains("orleans_catalog_activations", scrape);
                await Promtool.AssertAcceptableAsync(scrape);
            }
            await host.StopAsync();
        }
        finally
        {
            Directory.Delete(checkpoints, recursive: true);
        }
    }
}
