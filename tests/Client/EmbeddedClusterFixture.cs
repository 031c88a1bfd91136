using Accept.Client.Cluster;

namespace Accept.Tests.Client;

/// <summary>One embedded two-silo cluster shared by a test class: what `accept train` starts, reachable by other processes through its gateway.</summary>
public sealed class EmbeddedClusterFixture : IAsyncLifetime
{
    private readonly string _checkpoints = Directory.CreateTempSubdirectory("accept-client-ckpt-").FullName;

    public EmbeddedCluster Cluster { get; private set; } = null!;

    /// <summary>The flags that point a separate `accept` process at this cluster.</summary>
    public string[] Flags => ["--gateway", $"127.0.0.1:{Cluster.Cluster.GatewayPort}", "--cluster-id", Cluster.Cluster.ClusterId];

    public async Task InitializeAsync() => Cluster = await EmbeddedCluster.StartAsync(new EmbeddedClusterOptions(_checkpoints));

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Directory.Delete(_checkpoints, recursive: true);
    }
}
