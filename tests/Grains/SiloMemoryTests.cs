using Accept.Client.Benchmarks.Memory;
using Accept.Training.T5;

namespace Accept.Tests.Grains;

/// <summary>Task grains on one silo share its backbone; the memory benchmark itself is `accept bench memory`.</summary>
[Trait("Category", "Cluster")]
public sealed class SiloMemoryTests
{
    [Fact]
    public async Task Three_task_grains_on_one_silo_load_the_backbone_once()
    {
        using var run = new TinyRun();
        var spec = run.Spec(steps: 1000, checkpointEvery: 0, evalEvery: 1000, only: ["t1", "t2", "t3"]);

        var report = await SiloMemoryBenchmark.RunAsync(spec, run.Checkpoints, steps: 2);

        using var tiny = T5Model.Load(run.Backbone);
        Assert.Equal(3, report.Tasks);
        Assert.Equal(3, report.Sessions);
        Assert.Equal(1, report.BackboneLoads);
        Assert.Equal(tiny.ParameterCount, report.BackboneParameters);
        Assert.True(report.WorkingSetMb > report.ManagedHeapMb);
    }
}
