using Accept.Training.Metrics;

namespace Accept.Training.Data;

/// <summary>Turns loaded, split examples into a <see cref="TaskData"/>, applying caps with distinct seeds
/// per split so that capping one split never correlates with another.</summary>
internal static class TaskDataBuilder
{
    public static TaskData Build(
        string name,
        (List<LabeledExample> Train, List<LabeledExample> Validation, List<LabeledExample> Test) splits,
        MetricKind metric,
        SplitCaps caps,
        int seed,
        IReadOnlyList<string>? labels = null,
        IReadOnlyList<MetricKind>? secondary = null)
    {
        var train = DatasetSplitter.Cap(splits.Train, caps.MaxTrain, seed + 1);
        var validation = DatasetSplitter.Cap(splits.Validation, caps.MaxValidation, seed + 2);
        var test = DatasetSplitter.Cap(splits.Test, caps.MaxTest, seed + 3);
        var hasAnswers = splits.Validation.Concat(splits.Test).Any(e => e.Answers is not null);
        return new TaskData(name, Strip(train), Strip(validation), Strip(test), metric)
        {
            Labels = labels,
            SecondaryMetrics = secondary ?? [],
            ValidationAnswers = hasAnswers ? Answers(validation) : null,
            TestAnswers = hasAnswers ? Answers(test) : null,
        };
    }

    private static List<Example> Strip(List<LabeledExample> items) => items.ConvertAll(e => e.Example);

    private static List<IReadOnlyList<string>> Answers(List<LabeledExample> items) =>
        items.ConvertAll(e => e.Answers ?? [e.Example.Target]);
}
