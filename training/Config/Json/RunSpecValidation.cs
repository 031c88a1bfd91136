using System.Text.RegularExpressions;
using Accept.Training.Data.Demo;
using Accept.Training.Data.Paper;
using Accept.Training.Metrics;
using Accept.Training.Prompts;
using static Accept.Training.Config.Json.SpecValues;

namespace Accept.Training.Config.Json;

/// <summary>
/// The one validation pass from a deserialised <see cref="RunSpecDocument"/> to a <see cref="RunSpec"/>: defaults,
/// ranges, the rules between keys (sources, files, codebook groups); every error names the JSON path of the bad key.
/// </summary>
internal static partial class RunSpecValidation
{
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex Identifier();

    public static RunSpec ToRunSpec(RunSpecDocument? root)
    {
        if (root is null) throw new SpecException("(top level): expected an object, got null");
        var backbone = NonEmpty(root.Backbone, "backbone");
        var method = Method(root.Method);
        var optimization = Optimization(root.Optimization);
        var aggregation = Aggregation(root.Aggregation);
        int checkpointEvery = NonNegative(root.CheckpointEvery, "checkpoint_every") ?? RunSpec.Empty.CheckpointEvery;
        var transfer = Transfer(root.Transfer);
        if (root.Tasks is not { Count: > 0 } taskList) throw new SpecException("tasks: expected a non-empty array of tasks");
        var rawTasks = taskList.Select((t, i) => Task(t, $"tasks[{i}]", method)).ToList();
        var groups = Groups(root.CodebookGroups, rawTasks);

        // One pass over the groups, then a lookup per task: linear in the number of tasks (specs with 10⁵+ tasks exist).
        var groupOf = groups.SelectMany(g => g.Value.Select(task => (task, g.Key))).ToDictionary(x => x.task, x => x.Key, StringComparer.Ordinal);
        var tasks = rawTasks.Select(t => t.Task with { CodebookGroup = groupOf[t.Task.Name] }).ToList();
        if (transfer?.WeightsFromTask is { } from && !Identifier().IsMatch(from))
            throw new SpecException($"transfer.weights_from_task: \"{from}\" is not a valid task name");
        return new RunSpec(backbone, tasks, method, optimization, groups, aggregation, checkpointEvery, transfer);
    }

    private sealed record RawTask(TaskSpec Task, string? GroupGiven, string Path);

    private static RawTask Task(TaskDocument? t, string at, MethodSpec method)
    {
        if (t is null) throw new SpecException($"{at}: expected an object, got null");
        var name = Required(t.Name, $"{at}.name");
        if (!Identifier().IsMatch(name))
            throw new SpecException($"{at}.name: \"{name}\" must be 1–64 letters, digits, '_' or '-', starting with a letter or digit");
        var source = Enum<TaskSource>(t.Source, $"{at}.source") ?? throw new SpecException($"{at}.source: required (paper, generic or demo)");
        var dataset = NonEmpty(t.Dataset, $"{at}.dataset") ?? name;
        var path = NonEmpty(t.Path, $"{at}.path");
        var files = new[] { ("file", t.File), ("train_file", t.TrainFile), ("validation_file", t.ValidationFile), ("test_file", t.TestFile) }
            .Select(f => (f.Item1, NonEmpty(f.Item2, $"{at}.{f.Item1}"))).ToArray();
        var input = NonEmpty(t.InputField, $"{at}.input_field");
        var target = NonEmpty(t.TargetField, $"{at}.target_field");
        var metric = Enum<MetricKind>(t.Metric, $"{at}.metric");
        var labels = Labels(t.Labels, $"{at}.labels");
        var maxTrain = Positive(t.MaxTrainExamples, $"{at}.max_train_examples");
        var maxLength = Positive(t.MaxLength, $"{at}.max_length");
        if (maxLength > method.MaxLength)
            throw new SpecException($"{at}.max_length: {maxLength} exceeds method.max_length {method.MaxLength} (inputs are padded to exactly that length)");
        int maxTarget = Positive(t.MaxTargetLength, $"{at}.max_target_length") ?? 128;
        var group = NonEmpty(t.CodebookGroup, $"{at}.codebook_group");
        var (file, trainFile, validationFile, testFile) = (files[0].Item2, files[1].Item2, files[2].Item2, files[3].Item2);

        if (source != TaskSource.Generic)
        {
            foreach (var (key, value) in files.Append(("input_field", input)).Append(("target_field", target)))
                if (value is not null) throw new SpecException($"{at}.{key}: only generic tasks take this key");
            var known = source == TaskSource.Paper ? PaperTasks.Names : DemoTasks.Names;
            if (!known.Any(k => Normalize(k) == Normalize(dataset)))
                throw new SpecException($"{at}.dataset: \"{dataset}\" is not a {(source == TaskSource.Paper ? "paper" : "demo")} task (expected one of {string.Join(", ", known)})");
            if (source == TaskSource.Paper && path is null)
                throw new SpecException($"{at}.path: required for a paper task (the data directory holding GLUE/, SuperGLUE and MRQA/ files)");
        }
        else
        {
            if (path is not null) throw new SpecException($"{at}.path: generic tasks name their data with file or train_file");
            if (file is null && trainFile is null) throw new SpecException($"{at}.file: required for a generic task (or train_file)");
            if (file is not null && (trainFile ?? validationFile ?? testFile) is not null)
                throw new SpecException($"{at}.file: give either file or train_file/validation_file/test_file, not both");
            if (testFile is not null && validationFile is null)
                throw new SpecException($"{at}.test_file: needs validation_file beside train_file");
            foreach (var (key, value) in files)
                if (value is not null && !(value.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase)
                        || value.EndsWith(".jsonl.gz", StringComparison.OrdinalIgnoreCase) || value.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)))
                    throw new SpecException($"{at}.{key}: \"{value}\" is not a .jsonl, .jsonl.gz or .csv file");
            if (input is null) throw new SpecException($"{at}.input_field: required for a generic task");
            if (target is null) throw new SpecException($"{at}.target_field: required for a generic task");
            if (metric is null) throw new SpecException($"{at}.metric: required for a generic task");
        }
        var spec = new TaskSpec(name, source, dataset, path, file, trainFile, validationFile, testFile, input, target, metric, labels,
            maxTrain, maxLength, maxTarget, group ?? "");
        return new RawTask(spec, group, at);
    }

    private static List<string>? Labels(List<string?>? labels, string at)
    {
        if (labels is null) return null;
        if (labels.Count == 0 || labels.Any(string.IsNullOrWhiteSpace))
            throw new SpecException($"{at}: expected a non-empty array of non-empty strings");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < labels.Count; i++)
            if (!seen.Add(labels[i]!))
                throw new SpecException($"{at}[{i}]: \"{labels[i]}\" appears twice (every label once)");
        return labels!;
    }

    private static string Normalize(string name) => new([.. name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);

    private static IReadOnlyDictionary<string, IReadOnlyList<string>> Groups(Dictionary<string, List<string?>?>? given, List<RawTask> tasks)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in tasks)
            if (!names.Add(t.Task.Name))
                throw new SpecException($"{t.Path}.name: task \"{t.Task.Name}\" appears twice");

        var groups = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        if (given is not null)
        {
            foreach (var (group, members) in given)
            {
                var path = $"codebook_groups.{group}";
                if (!Identifier().IsMatch(group))
                    throw new SpecException($"{path}: \"{group}\" is not a valid group name (letters, digits, '_', '-')");
                if (members is not { Count: > 0 }) throw new SpecException($"{path}: expected a non-empty array of task names");
                foreach (var (task, i) in members.Select((m, i) => (m, i)))
                {
                    if (task is null) throw new SpecException($"{path}[{i}]: expected a non-empty string, got null");
                    if (!names.Contains(task)) throw new SpecException($"{path}: unknown task \"{task}\"");
                    if (!owners.TryAdd(task, group)) throw new SpecException($"{path}: task \"{task}\" is already in a codebook group");
                }
                groups[group] = members!;
            }
            foreach (var t in tasks)
            {
                var owner = owners.GetValueOrDefault(t.Task.Name);
                if (owner is null && t.GroupGiven is null)
                    throw new SpecException($"codebook_groups: task \"{t.Task.Name}\" is in no group");
                if (owner is not null && t.GroupGiven is not null && t.GroupGiven != owner)
                    throw new SpecException($"{t.Path}.codebook_group: \"{t.GroupGiven}\" contradicts codebook_groups.{owner}");
                if (owner is null) AddTo(groups, t.GroupGiven!, t);
            }
        }
        else
        {
            foreach (var t in tasks) AddTo(groups, t.GroupGiven ?? RunSpec.DefaultGroup, t);
        }
        return groups.ToDictionary(x => x.Key, x => (IReadOnlyList<string>)x.Value, StringComparer.Ordinal);
    }

    private static void AddTo(Dictionary<string, List<string>> groups, string group, RawTask t)
    {
        if (!Identifier().IsMatch(group))
            throw new SpecException($"{t.Path}.codebook_group: \"{group}\" is not a valid group name (letters, digits, '_', '-')");
        if (!groups.TryGetValue(group, out var list)) groups[group] = list = [];
        list.Add(t.Task.Name);
    }

    private static MethodSpec Method(MethodDocument? m)
    {
        var d = MethodSpec.Default;
        if (m is null) return d;
        var scpp = m.Scpp is { } s
            ? new ScppSpec(Positive(s.SubDim, "method.scpp.sub_dim") ?? d.Scpp.SubDim, Positive(s.CodebookSize, "method.scpp.codebook_size") ?? d.Scpp.CodebookSize)
            : d.Scpp;
        var added = m.Added is { } a
            ? new AddedSpec(
                Enum<AddedKind>(a.Kind, "method.added.kind") ?? d.Added.Kind,
                Positive(a.SubDim, "method.added.sub_dim") ?? d.Added.SubDim,
                Positive(a.CodebookSize, "method.added.codebook_size") ?? d.Added.CodebookSize,
                Positive(a.Rank, "method.added.rank") ?? d.Added.Rank,
                Positive(a.Alpha, "method.added.alpha") ?? d.Added.Alpha)
            : d.Added;
        return new MethodSpec(Positive(m.PromptLength, "method.prompt_length") ?? d.PromptLength, scpp, added,
            Positive(m.MaxLength, "method.max_length") ?? d.MaxLength, m.PromptTuningBaseline ?? d.PromptTuningBaseline);
    }

    private static OptimizationSpec Optimization(OptimizationDocument? o)
    {
        var d = OptimizationSpec.Default;
        if (o is null) return d;
        return new OptimizationSpec(
            Positive(o.LearningRate, "optimization.learning_rate") ?? d.LearningRate,
            Positive(o.AddedLearningRate, "optimization.added_learning_rate") ?? d.AddedLearningRate,
            NonNegative(o.WarmupSteps, "optimization.warmup_steps") ?? d.WarmupSteps,
            Positive(o.Steps, "optimization.steps") ?? d.Steps,
            Positive(o.BatchSize, "optimization.batch_size") ?? d.BatchSize,
            NonNegative(o.GradClip, "optimization.grad_clip") ?? d.GradClip,
            Positive(o.EvalEvery, "optimization.eval_every") ?? d.EvalEvery,
            o.Seed ?? d.Seed,
            Positive(o.EvalMaxExamples, "optimization.eval_max_examples"),
            NonNegative(o.MaxConsecutiveSkips, "optimization.max_consecutive_skips") ?? d.MaxConsecutiveSkips);
    }

    private static AggregationSpec Aggregation(AggregationDocument? a)
    {
        var d = new AggregationSpec();
        return a is null ? d
            : new AggregationSpec(Enum<AggregationMode>(a.Mode, "aggregation.mode") ?? d.Mode, NonNegative(a.MaxStaleness, "aggregation.max_staleness") ?? d.MaxStaleness);
    }

    private static TransferSpec? Transfer(TransferDocument? t) => t is null ? null
        : new TransferSpec(Required(t.Source, "transfer.source"), t.Codebooks ?? true, NonEmpty(t.WeightsFromTask, "transfer.weights_from_task"), t.FreezeCodebooks ?? false);
}
