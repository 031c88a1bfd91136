using Accept.Training.Metrics;

namespace Accept.Training.Data.Paper;

/// <summary>One of the paper's 17 tasks: where its files are (relative to the data directory), how a file's
/// records become <see cref="SourceRow"/>s, its metric and its split rule (DePT's lists of small and large
/// data sets).</summary>
internal sealed record PaperTask(
    string Name,
    string Prefix,
    MetricKind Metric,
    SplitRule Rule,
    string TrainFile,
    string ValidationFile,
    Func<string, IEnumerable<SourceRow>> Read)
{
    public string? TestFile { get; init; }
    public IReadOnlyList<MetricKind> SecondaryMetrics { get; init; } = [];

    /// <summary>The labels of the encoder input's segments, in order ("premise", "hypothesis"): the fields a
    /// prediction input gives, by these names (see <see cref="PaperTasks.FormatInput"/>).</summary>
    public IReadOnlyList<string> InputFields { get; init; } = [];

    /// <summary>What reading applies to each source text field (MRQA's punctuation padding, MultiRC's markup removal).</summary>
    public Func<string, string> NormalizeInput { get; init; } = text => text;

    /// <summary>T5-style class names; index i is class i. Null for generation and regression tasks.</summary>
    public IReadOnlyList<string>? LabelWords { get; init; }

    /// <summary>The target vocabulary of a regression task written as text (STS-B's 26 scores).</summary>
    public IReadOnlyList<string>? FixedLabels { get; init; }

    public IReadOnlyList<string>? Labels(LabelStyle style) =>
        FixedLabels ?? LabelWords switch
        {
            null => null,
            var words when style == LabelStyle.Words => words,
            var words => Enumerable.Range(0, words.Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList(),
        };

    public IEnumerable<string> Files() => TestFile is null ? [TrainFile, ValidationFile] : [TrainFile, ValidationFile, TestFile];
}
