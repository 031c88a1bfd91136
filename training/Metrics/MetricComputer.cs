using System.Globalization;

namespace Accept.Training.Metrics;

/// <summary>
/// Scores decoded model outputs against target text. Labels compare after trimming surrounding whitespace.
/// Values are fractions (accuracy 0.9, not 90). For Pearson and Spearman the strings are parsed as numbers
/// (invariant culture); a prediction that does not parse counts as −1, below STS-B's 0–5 range, as DePT's
/// <c>string_to_float</c> does; a target that does not parse is a data error. F1 is binary: pass the
/// positive class (for a two-label task, its second label); only 0/1 targets default to "1".
/// </summary>
public static class MetricComputer
{
    public static double Compute(MetricKind kind, IReadOnlyList<string> predictions, IReadOnlyList<string> targets, string? positiveLabel = null)
    {
        MetricArguments.CheckPairs(predictions, targets);
        var p = predictions.Select(s => s.Trim()).ToList();
        var t = targets.Select(s => s.Trim()).ToList();
        return kind switch
        {
            MetricKind.Accuracy => ClassificationMetrics.Accuracy(p, t),
            MetricKind.F1 => ClassificationMetrics.BinaryF1(p, t, PositiveLabel(positiveLabel, t)),
            MetricKind.MatthewsCorrelation => ClassificationMetrics.MatthewsCorrelation(p, t),
            MetricKind.Pearson => CorrelationMetrics.Pearson(Predictions(p), Targets(t)),
            MetricKind.Spearman => CorrelationMetrics.Spearman(Predictions(p), Targets(t)),
            MetricKind.ExactMatch or MetricKind.TokenF1 => Compute(kind, predictions, targets.Select(a => (IReadOnlyList<string>)[a]).ToList(), positiveLabel),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown metric"),
        };
    }

    /// <summary>
    /// Scores against every gold reference of each example. ExactMatch and TokenF1 take each prediction's best
    /// match among its references (extractive QA); the other metrics need exactly one reference per example.
    /// </summary>
    public static double Compute(MetricKind kind, IReadOnlyList<string> predictions, IReadOnlyList<IReadOnlyList<string>> references, string? positiveLabel = null)
    {
        MetricArguments.CheckPairs(predictions, references);
        if (kind is MetricKind.ExactMatch or MetricKind.TokenF1)
        {
            Func<string, IReadOnlyList<string>, double> score = kind == MetricKind.ExactMatch ? SquadMetrics.ExactMatch : SquadMetrics.TokenF1;
            return predictions.Zip(references).Average(pair => score(pair.First, pair.Second));
        }
        var targets = references.Select((r, i) => r.Count == 1
            ? r[0]
            : throw new ArgumentException($"example {i} has {r.Count} references; {kind} needs exactly one (only ExactMatch and TokenF1 take the best of several)", nameof(references)))
            .ToList();
        return Compute(kind, predictions, targets, positiveLabel);
    }

    /// <summary>The metric of always predicting the most common training target (ties: the ordinally smallest).</summary>
    public static double MajorityBaseline(IReadOnlyList<string> trainTargets, IReadOnlyList<string> evalTargets, MetricKind kind, string? positiveLabel = null)
    {
        ArgumentNullException.ThrowIfNull(trainTargets);
        ArgumentNullException.ThrowIfNull(evalTargets);
        if (trainTargets.Count == 0)
            throw new ArgumentException("the majority baseline needs at least one training target", nameof(trainTargets));
        var majority = trainTargets.Select(s => s.Trim()).CountBy(s => s, StringComparer.Ordinal)
            .OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).First().Key;
        return Compute(kind, Enumerable.Repeat(majority, evalTargets.Count).ToList(), evalTargets, positiveLabel);
    }

    /// <summary>GLUE's binary tasks (MRPC, QQP) label with "0"/"1", "1" being positive; other label sets must name theirs.</summary>
    private static string PositiveLabel(string? given, IReadOnlyList<string> targets)
    {
        if (given is not null)
            return given.Trim();
        if (targets.All(t => t is "0" or "1"))
            return "1";
        var labels = string.Join(", ", targets.Distinct().Order(StringComparer.Ordinal).Take(5));
        throw new ArgumentException($"F1 needs the positive label; targets are not 0/1 (they include {labels})", nameof(given));
    }

    private static List<double> Predictions(IEnumerable<string> values) =>
        values.Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.IsFinite(x) ? x : -1).ToList();

    private static List<double> Targets(IReadOnlyList<string> values) =>
        values.Select((v, i) => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.IsFinite(x)
            ? x
            : throw new FormatException($"target {i} is \"{v}\", not a number; Pearson and Spearman need numeric targets")).ToList();
}
