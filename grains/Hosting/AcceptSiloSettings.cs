using Microsoft.Extensions.Configuration;
using Accept.Grains.Checkpoints;
using Accept.Training.Checkpointing.Store;
using Accept.Grains.Hosting;

namespace Accept.Grains.Hosting;

/// <summary>Everything a silo is configured with; built from configuration by the host, or in code by the client's embedded cluster and tests.</summary>
public sealed record AcceptSiloSettings(AcceptClusterOptions Cluster, AcceptSiloOptions Silo, CheckpointStoreOptions Checkpoints)
{
    /// <summary>Binds the "Accept:Cluster", "Accept:Silo" and "Accept:Checkpoints" sections and validates them.</summary>
    public static AcceptSiloSettings FromConfiguration(IConfiguration configuration)
    {
        var settings = new AcceptSiloSettings(
            configuration.GetSection(AcceptClusterOptions.Section).Get<AcceptClusterOptions>() ?? new(),
            configuration.GetSection(AcceptSiloOptions.Section).Get<AcceptSiloOptions>() ?? new(),
            configuration.GetSection(CheckpointStoreOptions.Section).Get<CheckpointStoreOptions>() ?? new());
        settings.Validate();
        return settings;
    }

    public void Validate()
    {
        Cluster.Validate();
        Silo.Validate();
    }
}
