using Accept.GrainInterfaces.Diagnostics;
using Accept.Grains.Checkpoints;
using Accept.Training.Checkpointing.Store;
using Accept.Grains.Hosting;
using Accept.Tests.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Accept.Tests.Client.Cluster;

/// <summary>Two silos in one process with localhost clustering, configured exactly as the silo host does: the client's embedded cluster.</summary>
[Trait("Category", "Cluster")]
public sealed class EmbeddedClusterTests
{
    [Fact]
    public async Task Two_localhost_silos_configured_by_AcceptSiloBuilder_form_one_cluster()
    {
        var clusterId = $"embedded-{Guid.NewGuid():N}";
        var checkpoints = Directory.CreateTempSubdirectory("accept-embedded-").FullName;
        var primaryPort = TestEnvironment.FreePort();
        AcceptSiloSettings Settings(int siloPort, int gatewayPort, int primary, string role) => new(
            new AcceptClusterOptions { ClusterId = clusterId, ServiceId = clusterId, SiloPort = siloPort, GatewayPort = gatewayPort, PrimarySiloPort = primary },
            new AcceptSiloOptions { Role = role, Name = role },
            new CheckpointStoreOptions { Root = checkpoints });
        var coordinatorSettings = Settings(primaryPort, TestEnvironment.FreePort(), 0, "coordinator");
        var workerSettings = Settings(TestEnvironment.FreePort(), TestEnvironment.FreePort(), primaryPort, "worker");
        using var coordinator = new HostBuilder().UseOrleans(s => AcceptSiloBuilder.Configure(s, coordinatorSettings)).Build();
        using var worker = new HostBuilder().UseOrleans(s => AcceptSiloBuilder.Configure(s, workerSettings)).Build();
        try
        {
            await coordinator.StartAsync();
            await worker.StartAsync();
            using var client = new HostBuilder().UseOrleansClient(c => AcceptClientBuilder.Configure(c, coordinatorSettings.Cluster)).Build();
            await client.StartAsync();
            var grains = client.Services.GetRequiredService<IClusterClient>();

            var anywhere = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => grains.GetGrain<IProbeGrain>($"e-{i}").Where()));
            var workersOnly = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => grains.GetGrain<IWorkerProbeGrain>($"ew-{i}").Where()));

            Assert.Equal(["coordinator", "worker"], anywhere.Select(p => p.SiloName).Distinct().Order());
            Assert.All(workersOnly, p => Assert.Equal("worker", p.SiloName));
            Assert.IsType<DirectoryCheckpointStore>(worker.Services.GetRequiredService<ICheckpointStore>());
            await client.StopAsync();
        }
        finally
        {
            await worker.StopAsync();
            await coordinator.StopAsync();
            Directory.Delete(checkpoints, recursive: true);
        }
    }
}
