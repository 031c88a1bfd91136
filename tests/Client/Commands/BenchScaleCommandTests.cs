using System.Text.Json;

namespace Accept.Tests.Client.Commands;

/// <summary>`accept bench scale` as a user runs it: simulated tasks on an embedded cluster, one JSON line per configuration.</summary>
[Trait("Category", "MultiProcess")]
public sealed class BenchScaleCommandTests
{
    [Fact]
    public async Task Bench_scale_prints_one_line_per_configuration_with_every_task_applied()
    {
        var (code, stdout, stderr) = await AcceptProcess.RunAsync(TimeSpan.FromMinutes(3),
            "bench", "scale", "--tasks", "6", "--silos", "2", "--mode", "sync,async", "--rounds", "3", "--flat", "--warmup-rounds", "2", "--window-ms", "5");

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(4, lines.Length);
        var rows = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["hierarchical", "flat", "hierarchical", "flat"], rows.Select(r => r.GetProperty("aggregation").GetString()));
        Assert.Equal(["sync", "sync", "async", "async"], rows.Select(r => r.GetProperty("mode").GetString()));
        foreach (var row in rows)
        {
            Assert.Equal(6, row.GetProperty("tasks").GetInt32());
            Assert.Equal(2, row.GetProperty("silos").GetInt32());
            // Sync: every step applied. Async: a task may fall more than max_staleness (the task count) versions behind
            // the others, and that step is refused, not lost silently.
            var applied = row.GetProperty("applied_gradients").GetInt64();
            var rejected = row.GetProperty("rejected_pushes").GetInt64();
            Assert.Equal(18, applied + rejected);
            Assert.Equal(row.GetProperty("mode").GetString() == "sync" ? 18 : applied, applied);
            Assert.True(applied >= 12, $"{applied} of 18 applied");
            Assert.Equal(0, row.GetProperty("failed_tasks").GetInt32());
            Assert.True(row.GetProperty("rounds_per_s").GetDouble() > 0);
            Assert.True(row.GetProperty("bytes_per_round").GetDouble() > 0);
            Assert.Equal(2, row.GetProperty("warmup_rounds").GetInt32());
            Assert.Equal(5, row.GetProperty("window_ms").GetDouble());
            Assert.Equal(3, row.GetProperty("gc_gen0_gen1_gen2").GetArrayLength());
            foreach (var key in new[] { "overhead_ms_p50", "overhead_ms_p99", "gradients_per_s", "codebook_busy_share", "silo_memory_mb", "cpu_ms_per_round", "allocated_mb_per_round" })
            {
                Assert.True(row.TryGetProperty(key, out _), key);
            }
        }
        // Flat: one push per task step; hierarchical: never more.
        foreach (var (hierarchical, flat) in new[] { (rows[0], rows[1]), (rows[2], rows[3]) })
        {
            Assert.Equal(18, flat.GetProperty("push_calls").GetInt64());
            Assert.True(hierarchical.GetProperty("push_calls").GetInt64() <= 18);
        }
    }

    [Theory]
    [InlineData("--mode", "sometimes", "--mode: 'sometimes'")]
    [InlineData("--tasks", "10,x", "--tasks: 'x'")]
    [InlineData("--straggler-p", "2", "--straggler-p 2")]
    [InlineData("--window-ms", "-1", "--window-ms -1")]
    [InlineData("--warmup-rounds", "-3", "--warmup-rounds -3")]
    public async Task Bench_scale_rejects_a_bad_flag_naming_it(string flag, string value, string expected)
    {
        var (code, _, stderr) = await AcceptProcess.RunAsync(TimeSpan.FromSeconds(60), "bench", "scale", flag, value);

        Assert.Equal(2, code);
        Assert.Contains(expected, stderr);
    }
}
