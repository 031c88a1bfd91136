using Accept.Training.Data.Formats;

namespace Accept.Training.Data.Paper;

/// <summary>The paper's 17 tasks, read from their distribution files under one data directory:
/// GLUE as MNLI/, QQP/, QNLI/, SST-2/, STS-B/, MRPC/, RTE/, CoLA/ (download_glue_data.py), SuperGLUE as
/// MultiRC/, BoolQ/, WiC/, WSC/, CB/, MRQA as MRQA/train/*.jsonl.gz and MRQA/dev/*.jsonl.gz.</summary>
public static class PaperTasks
{
    private static readonly IReadOnlyList<PaperTask> Definitions =
        [.. GlueTasks.All(), .. SuperGlueTasks.All(), .. MrqaTasks.All()];

    public static IReadOnlyList<string> Names { get; } = [.. Definitions.Select(d => d.Name)];

    /// <summary>Which of the paper's benchmarks a task belongs to: "glue", "superglue" or "mrqa".</summary>
    public static string Benchmark(string name)
    {
        var task = Find(name);
        return GlueTasks.All().Any(t => t.Name == task.Name) ? "glue" : SuperGlueTasks.All().Any(t => t.Name == task.Name) ? "superglue" : "mrqa";
    }

    /// <summary>The fields an input for prediction gives (the labels of the encoder input's segments).</summary>
    public static IReadOnlyList<string> InputFields(string name) => Find(name).InputFields;

    /// <summary>
    /// The encoder input of one example from its source fields by <see cref="InputFields"/>' names, as
    /// reading the task's files writes it: each field normalised as reading does, labelled, joined, with the
    /// task prefix when <paramref name="options"/> asks for it.
    /// </summary>
    public static string FormatInput(string name, Func<string, string> field, TaskLoadOptions options)
    {
        var task = Find(name);
        return Text(task, [.. task.InputFields.SelectMany(f => new[] { f + ":", task.NormalizeInput(field(f)) })], options);
    }

    /// <summary>The files a task reads, relative to the data directory.</summary>
    public static IReadOnlyList<string> ExpectedFiles(string name) => [.. Find(name).Files()];

    public static TaskData Load(string name, string dataDirectory, TaskLoadOptions options)
    {
        var task = Find(name);
        foreach (var file in task.Files()) FileGuard.RequireFile(Path.Combine(dataDirectory, file));

        var train = Read(task, dataDirectory, task.TrainFile, options);
        var validation = Read(task, dataDirectory, task.ValidationFile, options);
        var test = task.TestFile is null ? null : Read(task, dataDirectory, task.TestFile, options);
        var splits = DatasetSplitter.Apply(task.Rule, train, validation, test, options.Seed);
        return TaskDataBuilder.Build(task.Name, splits, task.Metric, options.Caps, options.Seed,
            task.Labels(options.LabelStyle), task.SecondaryMetrics);
    }

    private static PaperTask Find(string name)
    {
        var key = Normalize(name);
        return Definitions.FirstOrDefault(d => Normalize(d.Name) == key)
            ?? throw new ArgumentException(
                $"unknown paper task '{name}'; expected one of: {string.Join(", ", Names)}", nameof(name));
    }

    /// <summary>"SST-2", "sst_2" and "sst2" all name the same task.</summary>
    private static string Normalize(string name) =>
        new([.. name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);

    private static List<LabeledExample> Read(PaperTask task, string dataDirectory, string file, TaskLoadOptions options)
    {
        var labels = task.Labels(options.LabelStyle);
        return [.. task.Read(Path.Combine(dataDirectory, file)).Select(row =>
        {
            var target = row.ClassIndex is int index ? labels![index] : row.Target!;
            return new LabeledExample(new Example(Text(task, row.Segments, options), target), row.Answers);
        })];
    }

    private static string Text(PaperTask task, string[] segments, TaskLoadOptions options) =>
        (options.AddTaskPrefix ? task.Prefix + " " : "") + string.Join(' ', segments);
}
