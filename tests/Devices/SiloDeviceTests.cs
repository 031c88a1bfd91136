using Accept.Grains.Checkpoints;
using Accept.Training.Checkpointing.Store;
using Accept.Grains.Execution;
using Accept.Grains.Hosting;
using Accept.Grains.Placement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TorchSharp;
using static TorchSharp.torch;

namespace Accept.Tests.Devices;

[Trait("Category", "Cluster")]
public sealed class SiloDeviceTests
{
    private static AcceptSiloSettings Settings(string device) => new(
        new AcceptClusterOptions(),
        new AcceptSiloOptions { Device = device },
        new CheckpointStoreOptions { Root = Path.Combine(Path.GetTempPath(), "accept-device-test-checkpoints") });

    [SkippableFact]
    public void A_cuda_silo_on_a_machine_without_cuda_does_not_start_and_names_the_setting()
    {
        Skip.If(cuda.is_available(), "libtorch sees a CUDA device here");

        var error = Assert.Throws<InvalidOperationException>(() =>
            new HostBuilder().UseOrleans(s => AcceptSiloBuilder.Configure(s, Settings("cuda"))).Build());

        Assert.StartsWith("Accept:Silo:Device is 'cuda' but libtorch reports no CUDA device", error.Message);
        Assert.Contains("-p:AcceptDevice=cuda", error.Message);
    }

    [Fact]
    public void A_cpu_silo_resolves_its_device_once_for_the_backbone_cache_and_task_sessions()
    {
        using var host = new HostBuilder().UseOrleans(s => AcceptSiloBuilder.Configure(s, Settings("cpu"))).Build();

        var device = host.Services.GetRequiredService<SiloDevice>();

        Assert.Equal("cpu", device.Name);
        Assert.Equal(DeviceType.CPU, device.Device.type);
        // One device per silo: every service that needs it gets the same instance, and nothing is loaded yet.
        Assert.Same(device, host.Services.GetRequiredService<SiloDevice>());
        Assert.Equal(0, host.Services.GetRequiredService<BackboneCache>().Loads);
        Assert.Equal(0, host.Services.GetRequiredService<TaskSessionHost>().Count);
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("cuda")]
    [InlineData("cuda:1")]
    public void The_silo_metadata_declares_the_device_setting(string device)
    {
        var options = new AcceptSiloOptions { Device = device };
        SettingsOptions.ThrowIfInvalid(AcceptSiloOptionsValidator.Instance, options);

        Assert.Equal(device, options.ToMetadata()[SiloMetadataKeys.Device]);
    }

    [Fact]
    public void A_device_setting_that_is_no_device_is_refused_by_validation()
    {
        var error = Assert.Throws<ArgumentException>(() => SettingsOptions.ThrowIfInvalid(AcceptSiloOptionsValidator.Instance, new AcceptSiloOptions { Device = "gpu0" }));

        Assert.Contains("Accept:Silo:Device is 'gpu0'", error.Message);
    }
}
