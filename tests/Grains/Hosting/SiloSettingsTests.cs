using Accept.Grains.Hosting;
using Microsoft.Extensions.Configuration;

namespace Accept.Tests.Grains.Hosting;

[Trait("Category", "Fast")]
public sealed class SiloSettingsTests
{
    private static AcceptSiloSettings Bind(Dictionary<string, string?> values) =>
        AcceptSiloSettings.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(values).Build());

    [Fact]
    public void Every_section_binds_from_configuration()
    {
        var settings = Bind(new()
        {
            ["Accept:Cluster:Clustering"] = "Redis",
            ["Accept:Cluster:RedisConnectionString"] = "127.0.0.1:6379",
            ["Accept:Cluster:SiloPort"] = "12000",
            ["Accept:Cluster:GatewayPort"] = "32000",
            ["Accept:Cluster:AdvertisedAddress"] = "10.1.2.3",
            ["Accept:Silo:Role"] = "coordinator",
            ["Accept:Silo:Device"] = "cuda",
            ["Accept:Silo:Slots"] = "4",
            ["Accept:Silo:TorchThreads"] = "8",
            ["Accept:Checkpoints:Kind"] = "Blob",
            ["Accept:Checkpoints:Container"] = "ckpts",
        });

        Assert.Equal(ClusteringKind.Redis, settings.Cluster.Clustering);
        Assert.Equal((12000, 32000, "10.1.2.3"), (settings.Cluster.SiloPort, settings.Cluster.GatewayPort, settings.Cluster.AdvertisedAddress));
        Assert.Equal(("coordinator", "cuda", 4, 8), (settings.Silo.Role, settings.Silo.Device, settings.Silo.Slots, settings.Silo.TorchThreads));
        Assert.Equal(Accept.Training.Checkpointing.Store.CheckpointStoreKind.Blob, settings.Checkpoints.Kind);
        Assert.Equal("4", settings.Silo.ToMetadata()["accept.slots"]);
    }

    [Theory]
    [InlineData("Accept:Silo:Role", "gpu", "Accept:Silo:Role")]
    [InlineData("Accept:Silo:Device", "tpu", "Accept:Silo:Device")]
    [InlineData("Accept:Silo:Slots", "0", "Accept:Silo:Slots")]
    [InlineData("Accept:Cluster:SiloPort", "70000", "Accept:Cluster:SiloPort")]
    [InlineData("Accept:Cluster:AdvertisedAddress", "not-an-ip", "Accept:Cluster:AdvertisedAddress")]
    [InlineData("Accept:Cluster:ProbeTimeoutSeconds", "-1", "Accept:Cluster:ProbeTimeoutSeconds")]
    [InlineData("Accept:Cluster:NumMissedProbesLimit", "0", "Accept:Cluster:NumMissedProbesLimit")]
    public void Bad_values_are_errors_naming_the_key(string key, string value, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => Bind(new() { [key] = value }));

        Assert.Contains(named, error.Message);
        Assert.Contains(value, error.Message);
    }

    [Fact]
    public void The_service_id_is_the_cluster_id_unless_set()
    {
        Assert.Equal("x", Bind(new() { ["Accept:Cluster:ClusterId"] = "x" }).Cluster.ServiceId);
        Assert.Equal("svc", Bind(new() { ["Accept:Cluster:ClusterId"] = "x", ["Accept:Cluster:ServiceId"] = "svc" }).Cluster.ServiceId);
        Assert.Equal(("accept", "accept"), (Bind(new()).Cluster.ClusterId, Bind(new()).Cluster.ServiceId));
    }

    [Fact]
    public void Redis_clustering_without_a_connection_string_names_the_setting_and_the_variable()
    {
        var saved = Environment.GetEnvironmentVariable(AcceptClusterOptions.RedisConnectionStringVariable);
        Environment.SetEnvironmentVariable(AcceptClusterOptions.RedisConnectionStringVariable, null);
        try
        {
            var error = Assert.Throws<ArgumentException>(() => Bind(new() { ["Accept:Cluster:Clustering"] = "Redis" }));
            Assert.Contains("Accept:Cluster:RedisConnectionString", error.Message);
            Assert.Contains(AcceptClusterOptions.RedisConnectionStringVariable, error.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(AcceptClusterOptions.RedisConnectionStringVariable, saved);
        }
    }
}
