using Accept.Training.MultiTask;

namespace Accept.Training.Metrics;

/// <summary>
/// Every metric of one task, the one place that says which they are: the paper's metric first (the task's
/// score: what validation selects the best checkpoint on and what benchmark averages take), then those
/// reported beside it (MRPC/QQP F1, STS-B Spearman, MRQA exact match, …). <see cref="PositiveLabel"/> is
/// F1's positive class (null lets 0/1 targets default to "1").
/// </summary>
public sealed record TaskMetrics(MetricKind Primary, IReadOnlyList<MetricKind> Secondary, string? PositiveLabel = null)
{
    /// <summary>The primary metric, then the secondary ones (without repeats).</summary>
    public IReadOnlyList<MetricKind> All => [Primary, .. Secondary.Where(k => k != Primary).Distinct()];

    /// <summary>Every metric of the task on one set of predictions, in <see cref="All"/>'s order.</summary>
    public IReadOnlyList<MetricValue> Score(IReadOnlyList<string> predictions, IReadOnlyList<IReadOnlyList<string>> references) =>
        [.. All.Select(kind => new MetricValue(kind, MetricComputer.Compute(kind, predictions, references, PositiveLabel)))];
}

/// <summary>One metric's value (a fraction, as <see cref="MetricComputer"/> computes it) and its snake_case name.</summary>
public sealed record MetricValue(MetricKind Kind, double Value)
{
    public string Name => MetricNames.Of(Kind);
}
