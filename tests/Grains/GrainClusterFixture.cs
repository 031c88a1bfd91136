using Orleans.TestingHost;

namespace Accept.Tests.Grains;

/// <summary>One coordinator and two workers shared by the grain tests that do not stop silos; sync rounds time out after 2 s.</summary>
public sealed class GrainClusterFixture : IAsyncLifetime
{
    public const double RoundTimeoutSeconds = 2;

    public TinyRun Run { get; } = new();

    public TestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        Cluster = GrainSiloConfigurator.Build(Run.Checkpoints, workers: 2, RoundTimeoutSeconds);
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Run.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class GrainClusterCollection : ICollectionFixture<GrainClusterFixture>
{
    public const string Name = "grain cluster";
}
