namespace Accept.Training.Metrics;

internal static class MetricArguments
{
    public static void CheckPairs<TPrediction, TTarget>(IReadOnlyList<TPrediction> predictions, IReadOnlyList<TTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(targets);
        if (predictions.Count != targets.Count)
            throw new ArgumentException($"{predictions.Count} predictions for {targets.Count} targets; they must pair up one to one");
        if (targets.Count == 0)
            throw new ArgumentException("a metric needs at least one example");
    }

    public static void CheckAnswers(IReadOnlyList<string> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        if (answers.Count == 0)
            throw new ArgumentException("an example needs at least one gold answer");
    }
}
