using Accept.Training.Metrics;

namespace Accept.Tests.Metrics;

[Trait("Category", "Fast")]
public sealed class MetricComputerTests
{
    [Fact]
    public void Labels_compare_after_trimming()
    {
        Assert.Equal(2.0 / 3, MetricComputer.Compute(MetricKind.Accuracy, [" yes", "no\n", "yes"], ["yes", "no", "no"]), 12);
    }

    [Fact]
    public void F1_defaults_to_label_1_only_for_0_1_targets()
    {
        Assert.Equal(2.0 / 3, MetricComputer.Compute(MetricKind.F1, ["1", "1", "0"], ["1", "0", "0"]), 12);
        var e = Assert.Throws<ArgumentException>(() => MetricComputer.Compute(MetricKind.F1, ["spam"], ["ham"]));
        Assert.Contains("positive label", e.Message);
        Assert.Equal(1, MetricComputer.Compute(MetricKind.F1, ["spam", "ham"], ["spam", "ham"], positiveLabel: "spam"));
    }

    [Fact]
    public void Unparsable_stsb_prediction_counts_as_minus_one()
    {
        var r = MetricComputer.Compute(MetricKind.Pearson, ["1.0", "2", "oops"], ["1", "2.0", "3"]);
        Assert.Equal(CorrelationMetrics.Pearson([1, 2, -1], [1, 2, 3]), r, 12);
        Assert.True(r < 0);
        Assert.Equal(1, MetricComputer.Compute(MetricKind.Spearman, ["0.5", "2.5", "4.8"], ["1", "2", "3"]), 12);
    }

    [Fact]
    public void Unparsable_stsb_target_is_a_data_error()
    {
        var e = Assert.Throws<FormatException>(() => MetricComputer.Compute(MetricKind.Pearson, ["1", "2"], ["1", "two"]));
        Assert.Contains("target 1", e.Message);
    }

    [Fact]
    public void Qa_metrics_average_the_best_match_per_example()
    {
        IReadOnlyList<IReadOnlyList<string>> answers = [["Paris", "the city of Paris"], ["Berlin"]];
        Assert.Equal(0.5, MetricComputer.Compute(MetricKind.ExactMatch, ["paris", "London"], answers));
        // example 1: "city of paris" vs "city of paris" → 1; example 2: 0
        Assert.Equal(0.5, MetricComputer.Compute(MetricKind.TokenF1, ["city of Paris", "London"], answers));
        Assert.Equal(0.5, MetricComputer.Compute(MetricKind.ExactMatch, ["paris", "London"], ["Paris", "Berlin"]));
        var e = Assert.Throws<ArgumentException>(() => MetricComputer.Compute(MetricKind.Accuracy, ["x"], answers.Take(1).ToList()));
        Assert.Contains("example 0 has 2 references", e.Message);
    }

    [Fact]
    public void Single_references_serve_every_metric()
    {
        IReadOnlyList<IReadOnlyList<string>> references = [["spam"], ["ham"], ["spam"]];
        Assert.Equal(2.0 / 3, MetricComputer.Compute(MetricKind.Accuracy, ["spam", "spam", "spam"], references), 12);
        Assert.Equal(0.8, MetricComputer.Compute(MetricKind.F1, ["spam", "spam", "spam"], references, positiveLabel: "spam"), 12);
    }

    [Fact]
    public void Majority_baseline_predicts_the_commonest_training_target()
    {
        string[] train = ["spam", "ham", "ham"];
        string[] eval = ["ham", "spam", "ham", "ham"];
        Assert.Equal(0.75, MetricComputer.MajorityBaseline(train, eval, MetricKind.Accuracy));
        Assert.Equal(0, MetricComputer.MajorityBaseline(train, eval, MetricKind.MatthewsCorrelation));
        Assert.Equal(0, MetricComputer.MajorityBaseline(train, eval, MetricKind.F1, positiveLabel: "spam"));
        Assert.Equal(2 * 0.75 / 1.75, MetricComputer.MajorityBaseline(train, eval, MetricKind.F1, positiveLabel: "ham"), 12);
        // a tie between "a" and "b" goes to the ordinally smallest, "a"
        Assert.Equal(1.0 / 3, MetricComputer.MajorityBaseline(["b", "a"], ["a", "b", "c"], MetricKind.Accuracy), 12);
    }
}
