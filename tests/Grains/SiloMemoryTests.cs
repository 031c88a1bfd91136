using System.Text.Json;
using Accept.Silo.Benchmarks;
using Accept.Training.T5;
using Xunit.Abstractions;

namespace Accept.Tests.Grains;

/// <summary>Task grains on one silo share its backbone; the memory benchmark (JSON, not a test) runs on request.</summary>
public sealed class SiloMemoryTests(ITestOutputHelper output)
{
    /// <summary>Set to a task count (1, 8, …) to print the silo memory benchmark's JSON on a t5-small-shaped random backbone.</summary>
    public const string BenchmarkVariable = "ACCEPT_BENCH_SILO_MEMORY_TASKS";

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

    [SkippableFact]
    public async Task Silo_memory_benchmark()
    {
        var tasks = Environment.GetEnvironmentVariable(BenchmarkVariable);
        Skip.If(tasks is null, $"benchmark: set {BenchmarkVariable}=N to measure a silo with N tasks");
        using var run = new TinyRun();
        var backbone = Path.Combine(run.Root, "t5-small-random");
        using (var model = T5Model.CreateRandom(T5Config.Small, seed: 1))
        {
            model.Save(backbone);
        }
        File.Copy(Path.Combine(run.Backbone, "spiece.model"), Path.Combine(backbone, "spiece.model"));
        var names = Enumerable.Range(1, int.Parse(tasks!, System.Globalization.CultureInfo.InvariantCulture)).Select(i => $"t{i}").ToArray();
        var spec = run.Spec(steps: 1000, checkpointEvery: 0, evalEvery: 1000, scppSubDim: 32, only: names, backbone: backbone);

        var report = await SiloMemoryBenchmark.RunAsync(spec, run.Checkpoints, steps: 3);

        var json = JsonSerializer.Serialize(report);
        output.WriteLine(json);
        if (Environment.GetEnvironmentVariable("ACCEPT_BENCH_OUT") is { } path)
        {
            File.WriteAllText(path, json);
        }
        Assert.Equal(1, report.BackboneLoads);
    }
}
