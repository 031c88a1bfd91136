using Accept.Training.Runs;

namespace Accept.Tests.Reporting;

[Trait("Category", "Fast")]
public class RunDirectoryTests
{
    [Fact]
    public void MetricsSummaryAndPlotAreWritten()
    {
        var root = Directory.CreateTempSubdirectory("accept-runs").FullName;
        string path;
        using (var run = RunDirectory.Create(root, "demo"))
        {
            path = run.Path;
            run.Append(new MetricRecord(1, "spam", Loss: 2.5, LearningRate: 0.3));
            run.Append(new MetricRecord(2, "spam", Loss: 2.0, LearningRate: 0.3));
            run.Append(new MetricRecord(2, "spam", Metric: 0.7, MetricName: "accuracy"));
            run.WriteSummary(new RunSummary(run.Name, "in-process", 1.5, 100,
                new Dictionary<string, TaskSummary> { ["spam"] = new("accuracy", 2.0, 0.7, 2, 0.68, 2, 0) }));
            run.WritePlot();
        }
        var records = RunDirectory.ReadMetrics(Path.Combine(path, "metrics.jsonl"));
        Assert.Equal(3, records.Count);
        Assert.Equal(0.7, records[2].Metric);
        Assert.Contains("\"majority_baseline\": 0.68", File.ReadAllText(Path.Combine(path, "summary.json")));
        Assert.True(new FileInfo(Path.Combine(path, "curves.png")).Length > 100);
        Assert.True(Directory.Exists(Path.Combine(path, "checkpoints")));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("")]
    public void UnsafeRunNamesAreRejected(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => RunDirectory.Create(Path.GetTempPath(), name));
        Assert.Contains("run name", e.Message);
    }

    [Fact]
    public void CorruptMetricsLineNamesFileAndLine()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory().FullName, "metrics.jsonl");
        File.WriteAllText(file, "{\"step\":1,\"task\":\"a\"}\n{oops\n");
        var e = Assert.Throws<InvalidDataException>(() => RunDirectory.ReadMetrics(file));
        Assert.Contains("metrics.jsonl:2", e.Message);
    }
}
