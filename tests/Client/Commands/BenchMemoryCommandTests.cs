using System.Text.Json;

namespace Accept.Tests.Client.Commands;

/// <summary>`accept bench memory` as a user runs it: one child process per task count, one JSON object on stdout.</summary>
[Trait("Category", "MultiProcess")]
public sealed class BenchMemoryCommandTests
{
    [Fact]
    public async Task Bench_memory_with_one_task_prints_json_with_one_backbone_load()
    {
        using var run = new TinyRun(steps: 1, evalEvery: 1);

        var (code, stdout, stderr) = await AcceptProcess.RunAsync(TimeSpan.FromSeconds(120), "bench", "memory", "--tasks", "1", "--steps", "1", "--backbone", run.Backbone);

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(Path.GetFullPath(run.Backbone), root.GetProperty("backbone").GetString());
        Assert.True(root.GetProperty("backbone_parameters").GetInt64() > 0);
        var only = Assert.Single(root.GetProperty("runs").EnumerateArray());
        Assert.Equal(1, only.GetProperty("tasks").GetInt32());
        Assert.Equal(1, only.GetProperty("sessions").GetInt32());
        Assert.Equal(1, only.GetProperty("backbone_loads").GetInt32());
        Assert.True(only.GetProperty("working_set_mb").GetDouble() > only.GetProperty("managed_heap_mb").GetDouble());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("extra_mb_per_task").ValueKind);
    }

    [Fact]
    public async Task Bench_memory_rejects_a_bad_task_count_naming_it()
    {
        var (code, _, stderr) = await AcceptProcess.RunAsync(TimeSpan.FromSeconds(60), "bench", "memory", "--tasks", "1,x");

        Assert.Equal(2, code);
        Assert.Contains("--tasks: 'x'", stderr);
    }
}
