using Accept.Tests.Client;
using TinyRun = Accept.Tests.MultiTask.TinyRun;
using static TorchSharp.torch;

namespace Accept.Tests.Devices;

/// <summary>`--device` of `accept train --in-process` and `accept bench step`, as a user runs them.</summary>
[Trait("Category", "MultiProcess")]
public sealed class DeviceFlagTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [SkippableFact]
    public async Task Train_with_cuda_on_a_machine_without_it_stops_before_loading_anything_and_says_how_to_get_it()
    {
        Skip.If(cuda.is_available(), "libtorch sees a CUDA device here");
        using var tiny = new TinyRun();
        var spec = Path.Combine(tiny.Root, "tiny.json");
        File.WriteAllText(spec, tiny.SpecJson());
        var runs = Path.Combine(tiny.Root, "runs");

        using var process = AcceptProcess.Start(null, "train", "--spec", spec, "--in-process", "--device", "cuda", "--runs-dir", runs);
        var (code, _, stderr) = await process.WaitAsync(Timeout);

        Assert.Equal(1, code);
        Assert.Contains("error: --device is 'cuda' but libtorch reports no CUDA device", stderr);
        Assert.Contains("-p:AcceptDevice=cuda", stderr);
        Assert.False(Directory.Exists(runs), "no run directory is created for a run that cannot start");
    }

    [Fact]
    public async Task Train_in_process_on_the_cpu_device_completes_its_run()
    {
        using var tiny = new TinyRun();
        var spec = Path.Combine(tiny.Root, "tiny.json");
        File.WriteAllText(spec, tiny.SpecJson());
        var runs = Path.Combine(tiny.Root, "runs");

        using var process = AcceptProcess.Start(null, "train", "--spec", spec, "--in-process", "--device", "cpu", "--runs-dir", runs, "--steps", "2", "--eval-every", "2");
        var (code, stdout, stderr) = await process.WaitAsync(Timeout);

        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("on cpu", stdout);
        var run = stdout.TrimEnd().Split('\n')[^1].Trim();
        Assert.True(File.Exists(Path.Combine(run, "summary.json")), run);
    }

    [Fact]
    public async Task Train_with_a_bogus_device_names_the_value()
    {
        using var tiny = new TinyRun();
        var spec = Path.Combine(tiny.Root, "tiny.json");
        File.WriteAllText(spec, tiny.SpecJson());

        using var process = AcceptProcess.Start(null, "train", "--spec", spec, "--in-process", "--device", "tpu:0", "--runs-dir", Path.Combine(tiny.Root, "runs"));
        var (code, _, stderr) = await process.WaitAsync(Timeout);

        Assert.Equal(2, code);
        Assert.Contains("--device is 'tpu:0'; expected cpu, cuda or cuda:N", stderr);
    }

    [Fact]
    public async Task Device_without_in_process_points_at_the_silo_setting()
    {
        using var tiny = new TinyRun();
        var spec = Path.Combine(tiny.Root, "tiny.json");
        File.WriteAllText(spec, tiny.SpecJson());

        using var process = AcceptProcess.Start(null, "train", "--spec", spec, "--device", "cpu", "--runs-dir", Path.Combine(tiny.Root, "runs"));
        var (code, _, stderr) = await process.WaitAsync(Timeout);

        Assert.Equal(2, code);
        Assert.Contains("Accept:Silo:Device", stderr);
    }

    [SkippableFact]
    public async Task Bench_step_with_cuda_on_a_machine_without_it_fails_with_the_same_message()
    {
        Skip.If(cuda.is_available(), "libtorch sees a CUDA device here");

        using var process = AcceptProcess.Start(null, "bench", "step", "--accept", "--device", "cuda:0");
        var (code, stdout, stderr) = await process.WaitAsync(Timeout);

        Assert.Equal(2, code);
        Assert.Contains("--device is 'cuda:0' but libtorch reports no CUDA device", stderr);
        Assert.Equal("", stdout.Trim());
    }
}
