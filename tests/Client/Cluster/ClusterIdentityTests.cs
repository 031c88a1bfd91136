using Accept.Client.Cluster;
using Accept.Grains.Checkpoints;
using Accept.Grains.Hosting;
using Accept.Grains.Placement;
using Accept.Tests.Cluster;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Accept.Tests.Client.Cluster;

/// <summary>One rule for the service id on silos and client (unset, it is the cluster id), and a connect error that shows what is there.</summary>
[Trait("Category", "MultiProcess")]
public sealed class ClusterIdentityTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [SkippableFact]
    public async Task A_client_naming_only_the_cluster_id_joins_silos_naming_only_the_cluster_id_and_a_wrong_service_id_is_reported_with_what_redis_holds()
    {
        if (redis.Endpoint is null)
        {
            TestEnvironment.SkipOrFail(redis.Unavailable!);
        }
        var clusterId = $"id-{Guid.NewGuid():N}"[..16];
        var checkpoints = Directory.CreateTempSubdirectory("accept-identity-");
        // Exactly what an operator writes: the cluster id and nothing about the service id.
        var silo = AcceptSiloSettings.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Accept:Cluster:Clustering"] = "Redis",
            ["Accept:Cluster:RedisConnectionString"] = redis.Endpoint,
            ["Accept:Cluster:ClusterId"] = clusterId,
            ["Accept:Cluster:AdvertisedAddress"] = "127.0.0.1",
            ["Accept:Cluster:SiloPort"] = TestEnvironment.FreePort().ToString(),
            ["Accept:Cluster:GatewayPort"] = TestEnvironment.FreePort().ToString(),
            ["Accept:Silo:Role"] = SiloMetadataKeys.WorkerRole,
            ["Accept:Silo:Name"] = "identity-silo",
            ["Accept:Checkpoints:Root"] = checkpoints.FullName,
        }).Build());
        Assert.Equal(clusterId, silo.Cluster.ServiceId);
        using var host = new HostBuilder().UseOrleans(s => AcceptSiloBuilder.Configure(s, silo)).Build();
        await host.StartAsync();
        try
        {
            var agreeing = new ClusterTarget(new AcceptClusterOptions { ClusterId = clusterId, Clustering = ClusteringKind.Redis, RedisConnectionString = redis.Endpoint }, null, TimeSpan.FromSeconds(30));
            await using (var connection = await ClusterConnection.ConnectAsync(agreeing))
            {
                Assert.Contains($"service '{clusterId}'", connection.Description);
            }

            var wrong = agreeing with { Cluster = new AcceptClusterOptions { ClusterId = clusterId, ServiceId = "accept", Clustering = ClusteringKind.Redis, RedisConnectionString = redis.Endpoint }, ConnectTimeout = TimeSpan.FromSeconds(3) };
            var error = await Assert.ThrowsAsync<ClusterUnavailableException>(() => ClusterConnection.ConnectAsync(wrong));

            Assert.Contains($"cluster id '{clusterId}', service id 'accept'", error.Message);
            Assert.Contains($"Redis membership at {redis.Endpoint}", error.Message);
            Assert.Contains($"Gateways listed for service 'accept' cluster '{clusterId}': none", error.Message);
            Assert.Contains($"service '{clusterId}' cluster '{clusterId}'", error.Message);
            Assert.DoesNotContain('\n', error.Message);
        }
        finally
        {
            await host.StopAsync();
            checkpoints.Delete(recursive: true);
        }
    }
}
