using Accept.Grains.Checkpoints;
using Accept.Training.Checkpointing.Store;
using Accept.Grains.Hosting;
using Accept.Grains.Placement;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Accept.Tests.Grains.Placement;

/// <summary>
/// Test-cluster silos get the project's runtime configuration; the first silo ("Primary") is a
/// coordinator, the rest are workers.
/// </summary>
public sealed class RoleBySiloNameConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder)
    {
        var name = siloBuilder.Configuration["Orleans:Name"] ?? throw new InvalidOperationException("The test cluster gave the silo no Orleans:Name.");
        var coordinator = name == "Primary";
        var settings = new AcceptSiloSettings(
            new AcceptClusterOptions(),
            new AcceptSiloOptions { Role = coordinator ? SiloMetadataKeys.CoordinatorRole : SiloMetadataKeys.WorkerRole },
            new CheckpointStoreOptions { Root = Path.Combine(Path.GetTempPath(), "accept-test-checkpoints") });
        AcceptSiloBuilder.ConfigureRuntime(siloBuilder, settings);
    }
}
