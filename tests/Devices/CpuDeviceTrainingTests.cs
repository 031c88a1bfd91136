using Accept.Tests.MultiTask;
using Accept.Training.Checkpointing;
using Accept.Training.Devices;
using Accept.Training.MultiTask;
using Accept.Training.Runs;
using Accept.Training.T5;
using TorchSharp;
using static TorchSharp.torch;

namespace Accept.Tests.Devices;

[Trait("Category", "Fast")]
public sealed class CpuDeviceTrainingTests
{
    [Fact]
    public void An_explicit_cpu_device_trains_to_the_same_numbers_as_the_default()
    {
        using var scope = NewDisposeScope();
        using var tiny = new TinyRun();
        var runs = Path.Combine(tiny.Root, "runs");
        var device = DeviceSelection.Resolve("cpu");
        using var defaultBackbone = T5Model.Load(tiny.Backbone);
        using var cpuBackbone = T5Model.Load(tiny.Backbone, device);
        using var defaultRun = RunDirectory.Create(runs, "default");
        using var cpuRun = RunDirectory.Create(runs, "cpu");

        using var byDefault = MultiTaskTrainer.Start(tiny.Context(), defaultBackbone, defaultRun);
        using var onCpu = MultiTaskTrainer.Start(tiny.Context(), cpuBackbone, cpuRun, device: device);
        var expected = byDefault.Train();
        var actual = onCpu.Train();

        Assert.Equal(DeviceType.CPU, onCpu.Device.type);
        Assert.Equal(Records(defaultRun), Records(cpuRun));
        foreach (var (task, summary) in expected.Tasks)
        {
            Assert.Equal(summary.FinalLoss, actual.Tasks[task].FinalLoss);
            Assert.Equal(summary.BestMetric, actual.Tasks[task].BestMetric);
        }
        foreach (var (name, group) in byDefault.Groups)
            foreach (var (key, codebook) in group.Codebooks)
                Assert.True(codebook.equal(onCpu.Groups[name].Codebooks[key]).all().item<bool>(), $"{name}/{key}");
        foreach (var (task, session) in byDefault.Sessions)
            foreach (var (key, weight) in session.Adapter.Weights)
                Assert.True(weight.equal(onCpu.Sessions[task].Adapter.Weights[key]).all().item<bool>(), $"{task}/{key}");
        Assert.Equal(6, onCpu.Groups["shared"].Version);
    }

    [Fact]
    public void What_leaves_a_run_is_on_the_cpu()
    {
        using var scope = NewDisposeScope();
        using var tiny = new TinyRun();
        using var backbone = T5Model.Load(tiny.Backbone, CPU);
        using var run = RunDirectory.Create(Path.Combine(tiny.Root, "runs"), "cpu");
        using var trainer = MultiTaskTrainer.Start(tiny.Context(), backbone, run, device: CPU);
        trainer.Train(stopAfterStep: 1);

        using var task = trainer.Sessions["mood"].Capture();
        using var group = CodebookCheckpoint.Capture(trainer.Groups["shared"]);

        Assert.All(task.Tensors.Values.Concat(group.Tensors.Values), t => Assert.Equal(DeviceType.CPU, t.device_type));
        // Captured state is a copy: the next step must not change it.
        var before = task.Tensors.ToDictionary(t => t.Key, t => t.Value.clone());
        trainer.Train(stopAfterStep: 2);
        Assert.All(before, t => Assert.True(t.Value.equal(task.Tensors[t.Key]).all().item<bool>(), t.Key));
    }

    private static List<(long, string, double?, double?)> Records(RunDirectory run) =>
        RunDirectory.ReadMetrics(run.MetricsPath).Select(r => (r.Step, r.Task, r.Loss, r.Metric)).ToList();
}
