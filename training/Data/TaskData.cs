using Accept.Training.Metrics;

namespace Accept.Training.Data;

/// <summary>
/// The loaded splits of one task. For QA, <see cref="ValidationAnswers"/> and <see cref="TestAnswers"/> run
/// parallel to <see cref="Validation"/> and <see cref="Test"/>: every gold answer of each example, because
/// token F1 and exact match take the best score over all of them while training targets only the first.
/// </summary>
public sealed record TaskData(
    string Name,
    IReadOnlyList<Example> Train,
    IReadOnlyList<Example> Validation,
    IReadOnlyList<Example> Test,
    MetricKind Metric)
{
    /// <summary>Metrics reported beside <see cref="Metric"/> (STS-B Spearman, MRQA exact match, …).</summary>
    public IReadOnlyList<MetricKind> SecondaryMetrics { get; init; } = [];

    /// <summary>Every metric of the task (<see cref="Metric"/> first) and F1's positive class: the second
    /// of two labels (spam, MultiRC's True); with other label sets 0/1 targets default to "1".</summary>
    public TaskMetrics Metrics => new(Metric, SecondaryMetrics, Labels is { Count: 2 } labels ? labels[1] : null);

    /// <summary>The class verbalizers of a classification task; null for generation tasks.</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>All gold answers per validation example, parallel to <see cref="Validation"/>; null unless QA.</summary>
    public IReadOnlyList<IReadOnlyList<string>>? ValidationAnswers { get; init; }

    /// <summary>All gold answers per test example, parallel to <see cref="Test"/>; null unless QA.</summary>
    public IReadOnlyList<IReadOnlyList<string>>? TestAnswers { get; init; }

    /// <summary>The references to score predictions of <paramref name="split"/> against: every gold
    /// answer where the task has several, otherwise the target alone.</summary>
    public IReadOnlyList<IReadOnlyList<string>> References(TaskSplit split)
    {
        var answers = split switch
        {
            TaskSplit.Validation => ValidationAnswers,
            TaskSplit.Test => TestAnswers,
            _ => null,
        };
        return answers ?? Examples(split).Select(e => (IReadOnlyList<string>)[e.Target]).ToList();
    }

    public IReadOnlyList<Example> Examples(TaskSplit split) => split switch
    {
        TaskSplit.Train => Train,
        TaskSplit.Validation => Validation,
        TaskSplit.Test => Test,
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, "expected Train, Validation or Test"),
    };
}
