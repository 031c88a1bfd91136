namespace Accept.Training.Metrics;

/// <summary>The evaluation metrics of the paper's tasks (DePT's text-to-text setup).</summary>
public enum MetricKind
{
    Accuracy,
    F1,
    MatthewsCorrelation,
    Pearson,
    Spearman,
    ExactMatch,
    /// <summary>SQuAD-normalised token F1 (MRQA).</summary>
    TokenF1,
}
