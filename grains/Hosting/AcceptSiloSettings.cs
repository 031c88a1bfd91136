using Microsoft.Extensions.Configuration;
using Accept.Training.Checkpointing.Store;

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

    /// <summary>Throws <see cref="ArgumentException"/> naming each bad key of the cluster section, else of the silo section
    /// (the rules: <see cref="AcceptClusterOptionsValidator"/>, <see cref="AcceptSiloOptionsValidator"/>).</summary>
    public void Validate()
    {
        SettingsOptions.ThrowIfInvalid(AcceptClusterOptionsValidator.Instance, Cluster);
        SettingsOptions.ThrowIfInvalid(AcceptSiloOptionsValidator.Instance, Silo);
    }
}
