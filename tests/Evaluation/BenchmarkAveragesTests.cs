using Accept.Training.Checkpointing;
using Accept.Training.Config;
using Accept.Training.Data;
using Accept.Training.Evaluation;
using Accept.Training.Metrics;
using Accept.Training.Prediction;

namespace Accept.Tests.Evaluation;

[Trait("Category", "Fast")]
public sealed class BenchmarkAveragesTests
{
    private static TaskEvaluation Scored(string task, params (MetricKind Kind, double Value)[] metrics) =>
        new(task, CheckpointChoice.Best, 10, TaskSplit.Test, 4, [.. metrics.Select(m => new MetricValue(m.Kind, m.Value))], []);

    [Fact]
    public void Each_benchmark_averages_its_tasks_primary_metric_and_other_tasks_count_in_none()
    {
        var spec = RunSpecReader.Parse("""
            {
              "backbone": "/nowhere",
              "tasks": [
                { "name": "mrpc", "source": "paper", "path": "/data" },
                { "name": "cola", "source": "paper", "path": "/data" },
                { "name": "boolq", "source": "paper", "path": "/data" },
                { "name": "news", "source": "paper", "dataset": "newsqa", "path": "/data" },
                { "name": "mine", "source": "generic", "file": "/x.jsonl", "input_field": "a", "target_field": "b", "metric": "accuracy" }
              ]
            }
            """, "bench.json");
        var averages = BenchmarkAverages.Of(spec, [
            Scored("mrpc", (MetricKind.Accuracy, 0.9), (MetricKind.F1, 0.5)),
            Scored("cola", (MetricKind.MatthewsCorrelation, 0.4)),
            Scored("boolq", (MetricKind.Accuracy, 0.7)),
            Scored("news", (MetricKind.TokenF1, 0.6), (MetricKind.ExactMatch, 0.2)),
            Scored("mine", (MetricKind.Accuracy, 0.1)),
        ]);
        Assert.Equal(["glue", "mrqa", "superglue"], averages.Keys);
        Assert.Equal(0.65, averages["glue"], 12);
        Assert.Equal(0.7, averages["superglue"], 12);
        Assert.Equal(0.6, averages["mrqa"], 12);
    }
}
