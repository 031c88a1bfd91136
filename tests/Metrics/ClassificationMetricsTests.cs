using Accept.Training.Metrics;

namespace Accept.Tests.Metrics;

[Trait("Category", "Fast")]
public sealed class ClassificationMetricsTests
{
    /// <summary>Predictions/targets with TP 6, TN 3, FP 1, FN 2 for label "1".</summary>
    private static (string[] Predictions, string[] Targets) Confusion()
    {
        var pairs = Enumerable.Repeat(("1", "1"), 6)
            .Concat(Enumerable.Repeat(("0", "0"), 3))
            .Concat(Enumerable.Repeat(("1", "0"), 1))
            .Concat(Enumerable.Repeat(("0", "1"), 2))
            .ToArray();
        return (pairs.Select(p => p.Item1).ToArray(), pairs.Select(p => p.Item2).ToArray());
    }

    [Fact]
    public void Accuracy_counts_exact_label_matches()
    {
        Assert.Equal(0.75, ClassificationMetrics.Accuracy(["a", "b", "a", "c"], ["a", "b", "b", "c"]));
    }

    [Fact]
    public void Binary_f1_of_a_known_confusion_matrix()
    {
        var (p, t) = Confusion();
        // 2·6 / (2·6 + 1 + 2)
        Assert.Equal(12.0 / 15.0, ClassificationMetrics.BinaryF1(p, t, "1"), 12);
        // For label "0": TP 3, FP 2, FN 1 → 6 / 9.
        Assert.Equal(6.0 / 9.0, ClassificationMetrics.BinaryF1(p, t, "0"), 12);
        Assert.Equal(0, ClassificationMetrics.BinaryF1(["0", "0"], ["1", "0"], "1"));
    }

    [Fact]
    public void Matthews_correlation_of_a_known_confusion_matrix()
    {
        var (p, t) = Confusion();
        // (6·3 − 1·2) / √((6+1)(6+2)(3+1)(3+2)) = 16/√1120
        Assert.Equal(16 / Math.Sqrt(1120), ClassificationMetrics.MatthewsCorrelation(p, t), 12);
    }

    [Fact]
    public void Matthews_correlation_limits_and_multiclass_form()
    {
        string[] t = ["1", "0", "1", "0"];
        Assert.Equal(1, ClassificationMetrics.MatthewsCorrelation(t, t), 12);
        Assert.Equal(-1, ClassificationMetrics.MatthewsCorrelation(["0", "1", "0", "1"], t), 12);
        Assert.Equal(0, ClassificationMetrics.MatthewsCorrelation(["1", "1", "1", "1"], t));
        // s 6, correct 4, Σp·t 12, Σp² 14, Σt² 12 → (4·6 − 12)/√((36−14)(36−12))
        Assert.Equal(12 / Math.Sqrt(528), ClassificationMetrics.MatthewsCorrelation(["a", "a", "b", "c", "c", "c"], ["a", "b", "b", "c", "c", "a"]), 12);
    }

    [Fact]
    public void Mismatched_or_empty_inputs_are_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => ClassificationMetrics.Accuracy(["a"], ["a", "b"]));
        Assert.Contains("1 predictions for 2 targets", e.Message);
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.Accuracy([], []));
    }
}
