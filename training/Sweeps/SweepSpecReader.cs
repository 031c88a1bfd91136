using System.Text.Json;
using Accept.Training.Config;

namespace Accept.Training.Sweeps;

/// <summary>
/// Reads and validates a sweep spec (JSON with comments and trailing commas); every error names the file and
/// the JSON path of the bad key, as <see cref="RunSpecReader"/> does for run specs.
/// </summary>
public static class SweepSpecReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static SweepSpec Read(string path)
    {
        if (!File.Exists(path)) throw new SpecException($"{path}: sweep spec file not found");
        return Parse(File.ReadAllText(path), path, Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <param name="source">Shown in errors (the file name).</param>
    /// <param name="directory">Where a relative <c>base</c> path is looked up.</param>
    public static SweepSpec Parse(string json, string source = "sweep spec", string? directory = null)
    {
        try
        {
            using var doc = JsonDocument.Parse(json, DocumentOptions);
            return ReadRoot(new JsonObjectReader(doc.RootElement, ""), source, directory ?? Directory.GetCurrentDirectory());
        }
        catch (JsonException e)
        {
            throw new SpecException($"{source}: invalid JSON at line {e.LineNumber + 1}: {e.Message}");
        }
        catch (SpecException e) when (!e.Message.StartsWith(source + ":", StringComparison.Ordinal))
        {
            throw new SpecException($"{source}: {e.Message}");
        }
    }

    private static SweepSpec ReadRoot(JsonObjectReader root, string source, string directory)
    {
        var baseJson = ReadBase(root, directory);
        var baseSpec = RunSpecReader.Parse(baseJson, "base");
        var parameters = ReadParameters(root);
        var search = ReadSearch(root.Object("search") ?? throw new SpecException("search: required ({ \"kind\": \"grid\" } or { \"kind\": \"random\", \"trials\": N, \"seed\": S })"), parameters);
        var objective = ReadObjective(root.Object("objective"), baseSpec);
        var scheduler = ReadScheduler(root.Object("scheduler"), baseSpec.Optimization.Steps, parameters);
        int? maxConcurrent = root.OptionalInt("max_concurrent_trials", 1);
        root.RejectUnknownKeys();
        var every = baseSpec.Optimization.EvalEvery;
        if (objective.Kind != ObjectiveKind.Loss && SweepEngine.Milestones(scheduler).FirstOrDefault(m => m % every != 0) is var off and > 0)
            throw new SpecException($"scheduler: a {objective.Name} objective is measured every {every} steps (the base's optimization.eval_every), but a decision falls at step {off}; make grace_steps/interval_steps multiples of it");
        if (scheduler.Kind == SchedulerKind.Pbt && maxConcurrent is { } m && m < TrialSampler.TrialCount(search, parameters))
            throw new SpecException($"max_concurrent_trials: {m} is fewer than the {TrialSampler.TrialCount(search, parameters)} trials; PBT trains its whole population at once");
        if (scheduler.Kind == SchedulerKind.Pbt && (baseSpec.CheckpointEvery <= 0 || baseSpec.CheckpointEvery > scheduler.IntervalSteps))
            throw new SpecException($"base.checkpoint_every: {baseSpec.CheckpointEvery} must be between 1 and interval_steps ({scheduler.IntervalSteps}): a PBT exploit starts from the donor's latest checkpoint");
        return new SweepSpec(baseJson, parameters, search, objective, scheduler, maxConcurrent);
    }

    private static string ReadBase(JsonObjectReader root, string directory)
    {
        if (!root.TryGet("base", out var b)) throw new SpecException("base: required (a run spec file, relative to the sweep file, or an inline run spec object)");
        if (b.ValueKind == JsonValueKind.Object) return b.GetRawText();
        if (b.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(b.GetString()))
            throw new SpecException($"base: expected a run spec file name or an object, got {JsonObjectReader.Describe(b)}");
        var path = Path.GetFullPath(Path.Combine(directory, b.GetString()!));
        if (!File.Exists(path)) throw new SpecException($"base: run spec file \"{path}\" not found");
        var text = File.ReadAllText(path);
        try
        {
            RunSpecReader.Parse(text, path);
        }
        catch (SpecException e)
        {
            throw new SpecException($"base: {e.Message}");
        }
        // Comments and trailing commas dropped; relative paths inside it resolve as `accept train` resolves them (the working directory).
        using var doc = JsonDocument.Parse(text, DocumentOptions);
        return doc.RootElement.GetRawText();
    }

    private static List<ParameterSpec> ReadParameters(JsonObjectReader root)
    {
        var list = new List<ParameterSpec>();
        if (!root.TryGet("parameters", out var p)) throw new SpecException("parameters: required (dotted run-spec paths with a distribution)");
        var reader = new JsonObjectReader(p, "parameters");
        foreach (var prop in p.EnumerateObject())
        {
            var path = reader.Child(prop.Name);
            if (!RunSpecPaths.IsValidPath(prop.Name)) throw new SpecException($"{path}: \"{prop.Name}\" is not a dotted run-spec path such as optimization.learning_rate");
            var d = new JsonObjectReader(prop.Value, path);
            var kinds = prop.Value.EnumerateObject().Select(x => x.Name).ToList();
            if (kinds.Count != 1)
                throw new SpecException($"{path}: expected exactly one of log_uniform, uniform, int_uniform, choice, grid");
            var kind = SpecEnum.Parse<Distribution>(kinds[0], path);
            d.TryGet(kinds[0], out var v);
            var at = d.Child(kinds[0]);
            list.Add(kind switch
            {
                Distribution.Choice or Distribution.Grid => ReadValues(prop.Name, kind, v, at),
                _ => ReadRange(prop.Name, kind, v, at),
            });
        }
        if (list.Count == 0) throw new SpecException("parameters: at least one parameter is required");
        return list;
    }

    private static ParameterSpec ReadValues(string name, Distribution kind, JsonElement v, string at)
    {
        if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() == 0)
            throw new SpecException($"{at}: expected a non-empty array of values, got {JsonObjectReader.Describe(v)}");
        var values = v.EnumerateArray().Select((x, i) => x.ValueKind is JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Null
            ? throw new SpecException($"{at}[{i}]: expected a number, string or boolean, got {JsonObjectReader.Describe(x)}")
            : x.GetRawText()).ToList();
        return new ParameterSpec(name, kind, 0, 0, values);
    }

    private static ParameterSpec ReadRange(string name, Distribution kind, JsonElement v, string at)
    {
        if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() != 2 || v.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.Number))
            throw new SpecException($"{at}: expected [low, high], got {JsonObjectReader.Describe(v)}");
        var low = v[0].GetDouble();
        var high = v[1].GetDouble();
        if (!(low < high)) throw new SpecException($"{at}: low {low} must be below high {high}");
        if (kind == Distribution.LogUniform && low <= 0) throw new SpecException($"{at}: log_uniform needs a positive low bound, got {low}");
        if (kind == Distribution.IntUniform && (low != Math.Floor(low) || high != Math.Floor(high)))
            throw new SpecException($"{at}: int_uniform needs integer bounds, got [{low}, {high}]");
        return new ParameterSpec(name, kind, low, high, []);
    }

    private static SearchSpec ReadSearch(JsonObjectReader s, IReadOnlyList<ParameterSpec> parameters)
    {
        var kind = s.Enum<SearchKind>("kind") ?? throw new SpecException($"{s.Child("kind")}: required (grid or random)");
        var seed = s.Long("seed", 0);
        int trials;
        if (kind == SearchKind.Grid)
        {
            if (parameters.FirstOrDefault(p => !p.IsDiscrete) is { } range)
                throw new SpecException($"parameters.{range.Path}: grid search takes grid and choice values, not {SpecEnum.SnakeCase(range.Distribution.ToString())}");
            if (s.OptionalInt("trials", 1) is not null) throw new SpecException($"{s.Child("trials")}: grid search runs every combination; drop trials");
            trials = parameters.Aggregate(1, (n, p) => n * p.Values.Count);
        }
        else
        {
            trials = s.OptionalInt("trials", 1) ?? throw new SpecException($"{s.Child("trials")}: required for random search");
        }
        s.RejectUnknownKeys();
        return new SearchSpec(kind, trials, seed);
    }

    private static ObjectiveSpec ReadObjective(JsonObjectReader? o, RunSpec baseSpec)
    {
        if (o is null) return new ObjectiveSpec(ObjectiveKind.Loss, null, ObjectiveMode.Min);
        var text = o.String("metric") ?? "loss";
        ObjectiveSpec spec;
        if (text.StartsWith("task:", StringComparison.Ordinal))
        {
            var task = text["task:".Length..];
            if (baseSpec.Tasks.All(t => t.Name != task))
                throw new SpecException($"{o.Child("metric")}: the base run spec has no task \"{task}\" (it has {string.Join(", ", baseSpec.Tasks.Select(t => t.Name))})");
            spec = new ObjectiveSpec(ObjectiveKind.Task, task, ObjectiveMode.Max);
        }
        else if (text is "loss" or "metric")
        {
            spec = new ObjectiveSpec(text == "loss" ? ObjectiveKind.Loss : ObjectiveKind.Metric, null, text == "loss" ? ObjectiveMode.Min : ObjectiveMode.Max);
        }
        else
        {
            throw new SpecException($"{o.Child("metric")}: expected loss, metric or task:<name>, got \"{text}\"");
        }
        spec = spec with { Mode = o.Enum<ObjectiveMode>("mode") ?? spec.Mode };
        o.RejectUnknownKeys();
        return spec;
    }

    private static SchedulerSpec ReadScheduler(JsonObjectReader? s, int baseSteps, IReadOnlyList<ParameterSpec> parameters)
    {
        var none = new Dictionary<string, IReadOnlyList<double>>();
        if (s is null) return new SchedulerSpec(SchedulerKind.Fifo, 0, 0, baseSteps, 0, 0, none, false);
        var kind = s.Enum<SchedulerKind>("kind") ?? throw new SpecException($"{s.Child("kind")}: required (fifo, asha or pbt)");
        int maxSteps = s.Int("max_steps", baseSteps, 1);
        SchedulerSpec spec;
        switch (kind)
        {
            case SchedulerKind.Asha:
                int grace = s.Int("grace_steps", Math.Max(1, maxSteps / 9), 1);
                int eta = s.Int("reduction_factor", 3, 2);
                if (grace >= maxSteps) throw new SpecException($"{s.Child("grace_steps")}: {grace} must be below max_steps {maxSteps}");
                spec = new SchedulerSpec(kind, grace, eta, maxSteps, 0, 0, none, s.Bool("deterministic", false));
                break;
            case SchedulerKind.Pbt:
                int interval = s.Int("interval_steps", Math.Max(1, maxSteps / 10), 1);
                if (interval >= maxSteps) throw new SpecException($"{s.Child("interval_steps")}: {interval} must be below max_steps {maxSteps}");
                double quantile = s.Double("quantile", 0.25, allowZero: false);
                if (quantile > 0.5) throw new SpecException($"{s.Child("quantile")}: expected at most 0.5, got {quantile}");
                spec = new SchedulerSpec(kind, 0, 0, maxSteps, interval, quantile, ReadMutations(s, parameters), false);
                break;
            default:
                spec = new SchedulerSpec(kind, 0, 0, maxSteps, 0, 0, none, false);
                break;
        }
        s.RejectUnknownKeys();
        return spec;
    }

    private static Dictionary<string, IReadOnlyList<double>> ReadMutations(JsonObjectReader s, IReadOnlyList<ParameterSpec> parameters)
    {
        var result = new Dictionary<string, IReadOnlyList<double>>(StringComparer.Ordinal);
        var m = s.Object("mutations") ?? throw new SpecException($"{s.Child("mutations")}: required for pbt (parameter → {{ \"factors\": [0.8, 1.25] }})");
        s.TryGet("mutations", out var element);
        foreach (var prop in element.EnumerateObject())
        {
            var path = m.Child(prop.Name);
            var parameter = parameters.FirstOrDefault(p => p.Path == prop.Name)
                ?? throw new SpecException($"{path}: not one of the sweep's parameters ({string.Join(", ", parameters.Select(p => p.Path))})");
            if (parameter.IsDiscrete) throw new SpecException($"{path}: only range parameters (uniform, log_uniform, int_uniform) can be perturbed by factors");
            var f = new JsonObjectReader(prop.Value, path);
            if (!f.TryGet("factors", out var factors) || factors.ValueKind != JsonValueKind.Array || factors.GetArrayLength() == 0)
                throw new SpecException($"{f.Child("factors")}: required, a non-empty array of positive numbers");
            result[prop.Name] = factors.EnumerateArray().Select((x, i) => JsonObjectReader.ReadDouble(x, $"{f.Child("factors")}[{i}]", allowZero: false)).ToList();
            f.RejectUnknownKeys();
        }
        if (result.Count == 0) throw new SpecException($"{s.Child("mutations")}: at least one parameter to perturb");
        return result;
    }
}
