using System.Text.Json;
using Accept.Training.Config;
using Accept.Training.Runs;

namespace Accept.Tests.Client;

/// <summary>What every finished cluster run directory must hold, checked against the spec it trained.</summary>
internal static class RunAssertions
{
    public static void AssertCompleted(string runDirectory, IReadOnlyList<string> tasks, long steps)
    {
        Assert.True(Directory.Exists(runDirectory), $"the last line printed, '{runDirectory}', is not a directory");
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDirectory, "summary.json")));
        Assert.Equal("cluster", summary.RootElement.GetProperty("mode").GetString());
        Assert.True(summary.RootElement.GetProperty("wall_time_s").GetDouble() > 0);
        var summaries = summary.RootElement.GetProperty("tasks");
        Assert.Equal(tasks.Order(), summaries.EnumerateObject().Select(t => t.Name).Order());
        var records = RunDirectory.ReadMetrics(Path.Combine(runDirectory, "metrics.jsonl"));
        foreach (var task in tasks)
        {
            var line = summaries.GetProperty(task);
            Assert.Equal(steps, line.GetProperty("steps").GetInt64());
            var finalLoss = line.GetProperty("final_loss").GetDouble();
            Assert.True(double.IsFinite(finalLoss) && finalLoss > 0, $"{task}: final_loss {finalLoss}");
            Assert.Equal("accuracy", line.GetProperty("metric_name").GetString());
            Assert.InRange(line.GetProperty("best_metric").GetDouble(), 0, 1);
            Assert.InRange(line.GetProperty("majority_baseline").GetDouble(), 0.3, 1);

            var losses = records.Where(r => r.Task == task && r.Loss is not null).Select(r => r.Step).ToList();
            Assert.Equal(Enumerable.Range(1, (int)steps).Select(s => (long)s), losses);
            Assert.Contains(records, r => r.Task == task && r.Metric is not null && r.MetricName == "accuracy");
        }
        var png = File.ReadAllBytes(Path.Combine(runDirectory, "curves.png"));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png.Take(4));
        var spec = RunSpecReader.Read(Path.Combine(runDirectory, "spec.json"));
        Assert.Equal(tasks.Order(), spec.Tasks.Select(t => t.Name).Order());
        Assert.True(Path.IsPathRooted(spec.Backbone), "the submitted spec carries absolute paths");
    }
}
