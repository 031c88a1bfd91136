using Accept.Training.Metrics;

namespace Accept.Tests.Metrics;

[Trait("Category", "Fast")]
public sealed class TaskMetricsTests
{
    private static IReadOnlyList<IReadOnlyList<string>> Refs(params string[] targets) => [.. targets.Select(t => (IReadOnlyList<string>)[t])];

    [Fact]
    public void A_binary_task_with_f1_reports_accuracy_first_then_f1_of_the_positive_label()
    {
        var metrics = new TaskMetrics(MetricKind.Accuracy, [MetricKind.F1], "1");
        var scores = metrics.Score(["1", "1", "0", "0"], Refs("1", "0", "0", "1"));
        Assert.Equal(["accuracy", "f1"], scores.Select(s => s.Name));
        Assert.Equal(0.5, scores[0].Value, 12);
        // tp 1, fp 1, fn 1: 2/(2+1+1)
        Assert.Equal(0.5, scores[1].Value, 12);
    }

    [Fact]
    public void Stsb_reports_pearson_and_spearman_and_qa_token_f1_and_exact_match_over_every_answer()
    {
        var stsb = new TaskMetrics(MetricKind.Pearson, [MetricKind.Spearman]).Score(["1.0", "2.0", "4.5"], Refs("1.2", "2.0", "3.0"));
        Assert.Equal(["pearson", "spearman"], stsb.Select(s => s.Name));
        Assert.Equal(1.0, stsb[1].Value, 12);
        Assert.True(stsb[0].Value is > 0.9 and < 1.0);

        var qa = new TaskMetrics(MetricKind.TokenF1, [MetricKind.ExactMatch]).Score(["the Eiffel tower", "Paris France"],
            [["Eiffel Tower", "tower"], ["Paris"]]);
        Assert.Equal(["token_f1", "exact_match"], qa.Select(s => s.Name));
        Assert.Equal(0.5, qa[1].Value, 12);
        Assert.Equal((1.0 + 2.0 / 3) / 2, qa[0].Value, 12);
    }

    [Fact]
    public void The_primary_metric_is_not_repeated_among_the_secondary_ones()
    {
        Assert.Equal([MetricKind.MatthewsCorrelation], new TaskMetrics(MetricKind.MatthewsCorrelation, [MetricKind.MatthewsCorrelation]).All);
    }
}
