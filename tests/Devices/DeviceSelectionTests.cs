using Accept.Training.Devices;
using TorchSharp;
using static TorchSharp.torch;

namespace Accept.Tests.Devices;

[Trait("Category", "Fast")]
public sealed class DeviceSelectionTests
{
    [Theory]
    [InlineData("cpu")]
    [InlineData(" CPU ")]
    public void Cpu_resolves_to_the_cpu(string name)
    {
        Assert.Equal(DeviceType.CPU, DeviceSelection.Resolve(name).type);
    }

    [Theory]
    [InlineData("cuda", DeviceType.CUDA, 0)]
    [InlineData("cuda:3", DeviceType.CUDA, 3)]
    [InlineData("cpu", DeviceType.CPU, -1)]
    public void Names_parse_without_asking_libtorch(string name, DeviceType type, int index)
    {
        Assert.Equal((type, index), DeviceSelection.Parse(name, "--device"));
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:x")]
    [InlineData("")]
    public void A_name_that_is_no_device_is_an_error_naming_the_value_and_its_source(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => DeviceSelection.Resolve(name, "--device"));

        Assert.Contains($"--device is '{name}'", error.Message);
        Assert.Contains("cpu, cuda or cuda:N", error.Message);
    }

    [SkippableTheory]
    [InlineData("--device", "cuda")]
    [InlineData("Accept:Silo:Device", "cuda:1")]
    public void Cuda_without_a_cuda_device_names_the_source_and_the_build_option(string source, string name)
    {
        Skip.If(cuda.is_available(), "libtorch sees a CUDA device here");

        var error = Assert.Throws<InvalidOperationException>(() => DeviceSelection.Resolve(name, source));

        Assert.StartsWith($"{source} is '{name}' but libtorch reports no CUDA device", error.Message);
        Assert.Contains(DeviceSelection.BuildDevice == "cpu"
            ? "this build uses libtorch-cpu — build with -p:AcceptDevice=cuda on a machine with TorchSharp-cuda-linux"
            : "this build has TorchSharp-cuda-linux", error.Message);
    }

    [Fact]
    public void Cuda_and_cuda_0_are_the_same_device_and_the_cpu_is_not_a_gpu()
    {
        Assert.True(DeviceSelection.Same(new Device(DeviceType.CUDA, -1), new Device(DeviceType.CUDA, 0)));
        Assert.False(DeviceSelection.Same(new Device(DeviceType.CUDA, 1), new Device(DeviceType.CUDA, 0)));
        Assert.False(DeviceSelection.Same(CPU, new Device(DeviceType.CUDA, 0)));
        Assert.True(DeviceSelection.Same(CPU, new Device(DeviceType.CPU)));
    }
}
