using Accept.Training.Data.Formats;

namespace Accept.Training.Data.Generic;

public static class GenericTasks
{
    public static TaskData Load(GenericTaskSpec spec)
    {
        var single = spec.File ?? (spec.ValidationFile is null && spec.TestFile is null ? spec.TrainFile : null);
        if (spec.File is not null && (spec.TrainFile ?? spec.ValidationFile ?? spec.TestFile) is not null)
            throw new ArgumentException($"task '{spec.Name}': give either file or train/validation/test files, not both");
        if (single is null && spec.TrainFile is null)
            throw new ArgumentException($"task '{spec.Name}': no data file given; expected file or train_file");
        if (single is null && spec.ValidationFile is null)
            throw new ArgumentException($"task '{spec.Name}': test_file needs validation_file beside train_file");

        (List<LabeledExample>, List<LabeledExample>, List<LabeledExample>) splits;
        if (single is not null)
        {
            splits = DatasetSplitter.ByFractions(Read(spec, single), spec.TrainFraction, spec.ValidationFraction, spec.Seed);
        }
        else
        {
            var train = Read(spec, spec.TrainFile!);
            var validation = Read(spec, spec.ValidationFile!);
            var test = spec.TestFile is null ? null : Read(spec, spec.TestFile);
            var rule = test is null ? DatasetSplitter.ChooseRule(train.Count) : SplitRule.AsGiven;
            splits = DatasetSplitter.Apply(rule, train, validation, test, spec.Seed);
        }
        return TaskDataBuilder.Build(spec.Name, splits, spec.Metric, spec.Caps, spec.Seed, spec.Labels);
    }

    private static List<LabeledExample> Read(GenericTaskSpec spec, string path)
    {
        var rows = path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)
            ? CsvFile.Read(path).Select(r => (r.Line, Input: r.Require(spec.InputField), Target: r.Require(spec.TargetField)))
            : path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".jsonl.gz", StringComparison.OrdinalIgnoreCase)
                ? JsonlFile.Read(path).Select(r => (r.Line, Input: r.RequireText(spec.InputField), Target: r.RequireText(spec.TargetField)))
                : throw new ArgumentException($"{path}: unsupported data file type; expected .jsonl, .jsonl.gz or .csv");

        var examples = new List<LabeledExample>();
        foreach (var (line, input, target) in rows)
        {
            if (string.IsNullOrWhiteSpace(input))
                throw new DataFormatException(path, line, spec.InputField, "input is empty");
            if (spec.Labels is { } labels && !labels.Contains(target))
                throw new DataFormatException(path, line, spec.TargetField,
                    $"the target is not one of the task's labels ({string.Join(", ", labels)})");
            examples.Add(new LabeledExample(new Example(input, target)));
        }
        if (examples.Count == 0) throw new DataFormatException(path, null, null, "no examples in the file");
        return examples;
    }
}
