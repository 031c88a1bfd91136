using System.Text.Json;
using System.Text.RegularExpressions;
using Accept.Training.Data.Demo;
using Accept.Training.Data.Paper;
using Accept.Training.Metrics;
using Accept.Training.Prompts;

namespace Accept.Training.Config;

/// <summary>Reads and validates a JSON run spec; every error names the file and the JSON path of the bad key.</summary>
public static partial class RunSpecReader
{
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex Identifier();

    public static RunSpec Read(string path)
    {
        if (!File.Exists(path)) throw new SpecException($"{path}: run spec file not found");
        return Parse(File.ReadAllText(path), path);
    }

    /// <param name="source">Shown in errors (the file name).</param>
    public static RunSpec Parse(string json, string source = "spec")
    {
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, AllowDuplicateProperties = false,
            });
            return ReadRoot(new JsonObjectReader(doc.RootElement, ""));
        }
        catch (JsonException e)
        {
            if (FindDuplicateKey(json) is { } duplicate)
                throw new SpecException($"{source}: {duplicate}: duplicate key (each key may appear once)");
            throw new SpecException($"{source}: invalid JSON at line {e.LineNumber + 1}: {OneLine(e.Message)}");
        }
        catch (SpecException e)
        {
            throw new SpecException($"{source}: {e.Message}");
        }
    }

    /// <summary>The JSON path (as errors write it: <c>tasks[0].name</c>) of the first key that appears twice in its object; null when none does or the text is not JSON.</summary>
    private static string? FindDuplicateKey(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return FindDuplicateKey(doc.RootElement, "");
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? FindDuplicateKey(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Array)
            return element.EnumerateArray().Select((item, i) => FindDuplicateKey(item, $"{path}[{i}]")).FirstOrDefault(d => d is not null);
        if (element.ValueKind != JsonValueKind.Object) return null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var child = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
            if (!seen.Add(property.Name)) return child;
            if (FindDuplicateKey(property.Value, child) is { } inner) return inner;
        }
        return null;
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");

    private static RunSpec ReadRoot(JsonObjectReader root)
    {
        var backbone = root.String("backbone");
        var method = ReadMethod(root.Object("method"));
        var optimization = ReadOptimization(root.Object("optimization"));
        var aggregation = ReadAggregation(root.Object("aggregation"));
        int checkpointEvery = root.Int("checkpoint_every", RunSpec.Empty.CheckpointEvery, 0);
        var transfer = ReadTransfer(root.Object("transfer"));
        if (!root.TryGet("tasks", out var tasksElement) || tasksElement.ValueKind != JsonValueKind.Array || tasksElement.GetArrayLength() == 0)
            throw new SpecException("tasks: expected a non-empty array of tasks");
        var rawTasks = tasksElement.EnumerateArray().Select((t, i) => ReadTask(new JsonObjectReader(t, $"tasks[{i}]"), method)).ToList();
        var groups = ResolveGroups(root, rawTasks);
        root.RejectUnknownKeys();

        // One pass over the groups, then a lookup per task: linear in the number of tasks (specs with 10⁵+ tasks exist).
        var groupOf = groups.SelectMany(g => g.Value.Select(task => (task, g.Key))).ToDictionary(x => x.task, x => x.Key, StringComparer.Ordinal);
        var tasks = rawTasks.Select(t => t.Task with { CodebookGroup = groupOf[t.Task.Name] }).ToList();
        if (transfer?.WeightsFromTask is { } from && !Identifier().IsMatch(from))
            throw new SpecException($"transfer.weights_from_task: \"{from}\" is not a valid task name");
        return new RunSpec(backbone, tasks, method, optimization, groups, aggregation, checkpointEvery, transfer);
    }

    private sealed record RawTask(TaskSpec Task, string? GroupGiven, string Path);

    private static RawTask ReadTask(JsonObjectReader t, MethodSpec method)
    {
        var name = t.RequiredString("name");
        if (!Identifier().IsMatch(name))
            throw new SpecException($"{t.Child("name")}: \"{name}\" must be 1–64 letters, digits, '_' or '-', starting with a letter or digit");
        var source = t.Enum<TaskSource>("source") ?? throw new SpecException($"{t.Child("source")}: required (paper, generic or demo)");
        var dataset = t.String("dataset") ?? name;
        var path = t.String("path");
        var file = t.String("file");
        var trainFile = t.String("train_file");
        var validationFile = t.String("validation_file");
        var testFile = t.String("test_file");
        var input = t.String("input_field");
        var target = t.String("target_field");
        var metric = t.Enum<MetricKind>("metric");
        var labels = ReadLabels(t);
        var maxTrain = t.OptionalInt("max_train_examples", 1);
        var maxLength = t.OptionalInt("max_length", 1);
        if (maxLength > method.MaxLength)
            throw new SpecException($"{t.Child("max_length")}: {maxLength} exceeds method.max_length {method.MaxLength} (inputs are padded to exactly that length)");
        int maxTarget = t.Int("max_target_length", 128, 1);
        var group = t.String("codebook_group");
        t.RejectUnknownKeys();

        var files = new[] { ("file", file), ("train_file", trainFile), ("validation_file", validationFile), ("test_file", testFile) };
        if (source != TaskSource.Generic)
        {
            foreach (var (key, value) in files.Append(("input_field", input)).Append(("target_field", target)))
                if (value is not null) throw new SpecException($"{t.Child(key)}: only generic tasks take this key");
            var known = source == TaskSource.Paper ? PaperTasks.Names : DemoTasks.Names;
            if (!known.Any(k => Normalize(k) == Normalize(dataset)))
                throw new SpecException($"{t.Child("dataset")}: \"{dataset}\" is not a {(source == TaskSource.Paper ? "paper" : "demo")} task (expected one of {string.Join(", ", known)})");
            if (source == TaskSource.Paper && path is null)
                throw new SpecException($"{t.Child("path")}: required for a paper task (the data directory holding GLUE/, SuperGLUE and MRQA/ files)");
        }
        else
        {
            if (path is not null) throw new SpecException($"{t.Child("path")}: generic tasks name their data with file or train_file");
            if (file is null && trainFile is null) throw new SpecException($"{t.Child("file")}: required for a generic task (or train_file)");
            if (file is not null && (trainFile ?? validationFile ?? testFile) is not null)
                throw new SpecException($"{t.Child("file")}: give either file or train_file/validation_file/test_file, not both");
            if (testFile is not null && validationFile is null)
                throw new SpecException($"{t.Child("test_file")}: needs validation_file beside train_file");
            foreach (var (key, value) in files)
                if (value is not null && !(value.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase)
                        || value.EndsWith(".jsonl.gz", StringComparison.OrdinalIgnoreCase) || value.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)))
                    throw new SpecException($"{t.Child(key)}: \"{value}\" is not a .jsonl, .jsonl.gz or .csv file");
            if (input is null) throw new SpecException($"{t.Child("input_field")}: required for a generic task");
            if (target is null) throw new SpecException($"{t.Child("target_field")}: required for a generic task");
            if (metric is null) throw new SpecException($"{t.Child("metric")}: required for a generic task");
        }
        var spec = new TaskSpec(name, source, dataset, path, file, trainFile, validationFile, testFile, input, target, metric, labels,
            maxTrain, maxLength, maxTarget, group ?? "");
        return new RawTask(spec, group, t.Path);
    }

    private static List<string>? ReadLabels(JsonObjectReader t)
    {
        if (!t.TryGet("labels", out var v)) return null;
        if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() == 0
            || v.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(x.GetString())))
            throw new SpecException($"{t.Child("labels")}: expected a non-empty array of non-empty strings");
        var labels = v.EnumerateArray().Select(x => x.GetString()!).ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < labels.Count; i++)
            if (!seen.Add(labels[i]))
                throw new SpecException($"{t.Child("labels")}[{i}]: \"{labels[i]}\" appears twice (every label once)");
        return labels;
    }

    private static string Normalize(string name) => new([.. name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);

    private static IReadOnlyDictionary<string, IReadOnlyList<string>> ResolveGroups(JsonObjectReader root, List<RawTask> tasks)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in tasks)
            if (!names.Add(t.Task.Name))
                throw new SpecException($"{t.Path}.name: task \"{t.Task.Name}\" appears twice");

        var groups = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGet("codebook_groups", out var g))
        {
            var reader = new JsonObjectReader(g, "codebook_groups");
            foreach (var prop in g.EnumerateObject())
            {
                var path = reader.Child(prop.Name);
                if (!Identifier().IsMatch(prop.Name))
                    throw new SpecException($"{path}: \"{prop.Name}\" is not a valid group name (letters, digits, '_', '-')");
                if (prop.Value.ValueKind != JsonValueKind.Array || prop.Value.GetArrayLength() == 0)
                    throw new SpecException($"{path}: expected a non-empty array of task names");
                var members = new List<string>();
                foreach (var m in prop.Value.EnumerateArray())
                {
                    var task = m.ValueKind == JsonValueKind.String ? m.GetString()! : throw new SpecException($"{path}: expected task names, got {JsonObjectReader.Describe(m)}");
                    if (!names.Contains(task)) throw new SpecException($"{path}: unknown task \"{task}\"");
                    if (!owners.TryAdd(task, prop.Name))
                        throw new SpecException($"{path}: task \"{task}\" is already in a codebook group");
                    members.Add(task);
                }
                groups[prop.Name] = members;
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

    private static MethodSpec ReadMethod(JsonObjectReader? m)
    {
        var d = MethodSpec.Default;
        if (m is null) return d;
        int promptLength = m.Int("prompt_length", d.PromptLength, 1);
        int maxLength = m.Int("max_length", d.MaxLength, 1);
        bool baseline = m.Bool("prompt_tuning_baseline", d.PromptTuningBaseline);
        var scpp = d.Scpp;
        if (m.Object("scpp") is { } s)
        {
            scpp = new ScppSpec(s.Int("sub_dim", scpp.SubDim, 1), s.Int("codebook_size", scpp.CodebookSize, 1));
            s.RejectUnknownKeys();
        }
        var added = d.Added;
        if (m.Object("added") is { } a)
        {
            added = new AddedSpec(
                a.Enum<AddedKind>("kind") ?? added.Kind,
                a.Int("sub_dim", added.SubDim, 1),
                a.Int("codebook_size", added.CodebookSize, 1),
                a.Int("rank", added.Rank, 1),
                a.Double("alpha", added.Alpha, allowZero: false));
            a.RejectUnknownKeys();
        }
        m.RejectUnknownKeys();
        return new MethodSpec(promptLength, scpp, added, maxLength, baseline);
    }

    private static OptimizationSpec ReadOptimization(JsonObjectReader? o)
    {
        var d = OptimizationSpec.Default;
        if (o is null) return d;
        var spec = new OptimizationSpec(
            o.Double("learning_rate", d.LearningRate, allowZero: false),
            o.Double("added_learning_rate", d.AddedLearningRate, allowZero: false),
            o.Int("warmup_steps", d.WarmupSteps, 0),
            o.Int("steps", d.Steps, 1),
            o.Int("batch_size", d.BatchSize, 1),
            o.Double("grad_clip", d.GradClip, allowZero: true),
            o.Int("eval_every", d.EvalEvery, 1),
            o.Long("seed", d.Seed),
            o.OptionalInt("eval_max_examples", 1),
            o.Int("max_consecutive_skips", d.MaxConsecutiveSkips, 0));
        o.RejectUnknownKeys();
        return spec;
    }

    private static AggregationSpec ReadAggregation(JsonObjectReader? a)
    {
        var d = new AggregationSpec();
        if (a is null) return d;
        var spec = new AggregationSpec(a.Enum<AggregationMode>("mode") ?? d.Mode, a.Int("max_staleness", d.MaxStaleness, 0));
        a.RejectUnknownKeys();
        return spec;
    }

    private static TransferSpec? ReadTransfer(JsonObjectReader? t)
    {
        if (t is null) return null;
        var spec = new TransferSpec(t.RequiredString("source"), t.Bool("codebooks", true), t.String("weights_from_task"), t.Bool("freeze_codebooks", false));
        t.RejectUnknownKeys();
        return spec;
    }
}
