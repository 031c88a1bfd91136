namespace Accept.Training.Metrics;

/// <summary>Metrics over label strings. Values are fractions (0–1; MCC −1–1), not percentages.</summary>
public static class ClassificationMetrics
{
    public static double Accuracy(IReadOnlyList<string> predictions, IReadOnlyList<string> targets)
    {
        MetricArguments.CheckPairs(predictions, targets);
        return (double)predictions.Zip(targets).Count(p => p.First == p.Second) / targets.Count;
    }

    /// <summary>F1 of <paramref name="positiveLabel"/>; 0 when it is never predicted correctly (as scikit-learn).</summary>
    public static double BinaryF1(IReadOnlyList<string> predictions, IReadOnlyList<string> targets, string positiveLabel)
    {
        MetricArguments.CheckPairs(predictions, targets);
        int tp = 0, fp = 0, fn = 0;
        foreach (var (p, t) in predictions.Zip(targets))
        {
            if (p == positiveLabel && t == positiveLabel)
                tp++;
            else if (p == positiveLabel)
                fp++;
            else if (t == positiveLabel)
                fn++;
        }
        return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }

    /// <summary>
    /// Matthews correlation in its multi-class form (Gorodkin's R_K, as scikit-learn computes it), which for
    /// two labels is (TP·TN − FP·FN)/√((TP+FP)(TP+FN)(TN+FP)(TN+FN)). A prediction outside the target
    /// labels is a class of its own, so it is simply wrong. 0 when the denominator is 0.
    /// </summary>
    public static double MatthewsCorrelation(IReadOnlyList<string> predictions, IReadOnlyList<string> targets)
    {
        MetricArguments.CheckPairs(predictions, targets);
        var predicted = predictions.CountBy(p => p, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
        var actual = targets.CountBy(t => t, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
        double s = targets.Count;
        double correct = predictions.Zip(targets).Count(p => p.First == p.Second);
        var crossed = actual.Sum(a => (double)a.Value * predicted.GetValueOrDefault(a.Key));
        var predictedSquares = predicted.Values.Sum(v => (double)v * v);
        var actualSquares = actual.Values.Sum(v => (double)v * v);
        var denominator = Math.Sqrt((s * s - predictedSquares) * (s * s - actualSquares));
        return denominator == 0 ? 0 : (correct * s - crossed) / denominator;
    }
}
