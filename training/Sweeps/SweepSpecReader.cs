using System.Text.Json;
using Accept.Training.Config;
using Accept.Training.Config.Json;
using Accept.Training.Sweeps.Json;
using static Accept.Training.Config.Json.SpecValues;

namespace Accept.Training.Sweeps;

/// <summary>
/// Reads and validates a sweep spec (JSON with comments and trailing commas): System.Text.Json deserialises it into
/// <see cref="SweepSpecDocument"/>, then one validation pass; every error names the file and the JSON path of the bad
/// key, as <see cref="RunSpecReader"/> does for run specs.
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
            var document = SpecJson.Deserialize(json, SweepSpecJsonContext.Document)
                ?? throw new SpecException("(top level): expected an object, got null");
            return ToSweepSpec(document, directory ?? Directory.GetCurrentDirectory());
        }
        catch (SpecException e)
        {
            throw new SpecException($"{source}: {e.Message}");
        }
    }

    private static SweepSpec ToSweepSpec(SweepSpecDocument root, string directory)
    {
        var baseJson = Base(root.Base, directory);
        var baseSpec = RunSpecReader.Parse(baseJson, "base");
        var parameters = Parameters(root.Parameters);
        var search = Search(root.Search ?? throw new SpecException("search: required ({ \"kind\": \"grid\" } or { \"kind\": \"random\", \"trials\": N, \"seed\": S })"), parameters);
        var objective = Objective(root.Objective, baseSpec);
        var scheduler = Scheduler(root.Scheduler, baseSpec.Optimization.Steps, parameters);
        int? maxConcurrent = Positive(root.MaxConcurrentTrials, "max_concurrent_trials");
        var every = baseSpec.Optimization.EvalEvery;
        if (objective.Kind != ObjectiveKind.Loss && SweepEngine.Milestones(scheduler).FirstOrDefault(m => m % every != 0) is var off and > 0)
            throw new SpecException($"scheduler: a {objective.Name} objective is measured every {every} steps (the base's optimization.eval_every), but a decision falls at step {off}; make grace_steps/interval_steps multiples of it");
        if (scheduler.Kind == SchedulerKind.Pbt && maxConcurrent is { } m && m < TrialSampler.TrialCount(search, parameters))
            throw new SpecException($"max_concurrent_trials: {m} is fewer than the {TrialSampler.TrialCount(search, parameters)} trials; PBT trains its whole population at once");
        if (scheduler.Kind == SchedulerKind.Pbt && (baseSpec.CheckpointEvery <= 0 || baseSpec.CheckpointEvery > scheduler.IntervalSteps))
            throw new SpecException($"base.checkpoint_every: {baseSpec.CheckpointEvery} must be between 1 and interval_steps ({scheduler.IntervalSteps}): a PBT exploit starts from the donor's latest checkpoint");
        return new SweepSpec(baseJson, parameters, search, objective, scheduler, maxConcurrent);
    }

    private static string Base(JsonElement? given, string directory)
    {
        if (given is not { } b) throw new SpecException("base: required (a run spec file, relative to the sweep file, or an inline run spec object)");
        if (b.ValueKind == JsonValueKind.Object) return b.GetRawText();
        if (b.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(b.GetString()))
            throw new SpecException($"base: expected a run spec file name or an object, got {SpecJson.Describe(b)}");
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

    private static List<ParameterSpec> Parameters(Dictionary<string, Dictionary<string, JsonElement>?>? given)
    {
        if (given is null) throw new SpecException("parameters: required (dotted run-spec paths with a distribution)");
        var list = new List<ParameterSpec>();
        foreach (var (name, distribution) in given)
        {
            var path = $"parameters.{Printable(name)}";
            if (!RunSpecPaths.IsValidPath(name)) throw new SpecException($"{path}: \"{name}\" is not a dotted run-spec path such as optimization.learning_rate");
            if (distribution is not { Count: 1 })
                throw new SpecException($"{path}: expected exactly one of log_uniform, uniform, int_uniform, choice, grid");
            var (key, values) = distribution.Single();
            var kind = SpecEnum.Parse<Distribution>(key, path);
            var at = $"{path}.{key}";
            list.Add(kind is Distribution.Choice or Distribution.Grid ? Values(name, kind, values, at) : Range(name, kind, values, at));
        }
        if (list.Count == 0) throw new SpecException("parameters: at least one parameter is required");
        return list;
    }

    private static ParameterSpec Values(string name, Distribution kind, JsonElement v, string at)
    {
        if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() == 0)
            throw new SpecException($"{at}: expected a non-empty array of values, got {SpecJson.Describe(v)}");
        var values = v.EnumerateArray().Select((x, i) => x.ValueKind is JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Null
            ? throw new SpecException($"{at}[{i}]: expected a number, string or boolean, got {SpecJson.Describe(x)}")
            : x.GetRawText()).ToList();
        return new ParameterSpec(name, kind, 0, 0, values);
    }

    private static ParameterSpec Range(string name, Distribution kind, JsonElement v, string at)
    {
        if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() != 2 || v.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.Number))
            throw new SpecException($"{at}: expected [low, high], got {SpecJson.Describe(v)}");
        var low = v[0].GetDouble();
        var high = v[1].GetDouble();
        if (!(low < high)) throw new SpecException($"{at}: low {low} must be below high {high}");
        if (kind == Distribution.LogUniform && low <= 0) throw new SpecException($"{at}: log_uniform needs a positive low bound, got {low}");
        if (kind == Distribution.IntUniform && (low != Math.Floor(low) || high != Math.Floor(high)))
            throw new SpecException($"{at}: int_uniform needs integer bounds, got [{low}, {high}]");
        return new ParameterSpec(name, kind, low, high, []);
    }

    private static SearchSpec Search(SearchDocument s, IReadOnlyList<ParameterSpec> parameters)
    {
        var kind = Enum<SearchKind>(s.Kind, "search.kind") ?? throw new SpecException("search.kind: required (grid or random)");
        var seed = s.Seed ?? 0;
        var trials = Positive(s.Trials, "search.trials");
        if (kind == SearchKind.Random)
            return new SearchSpec(kind, trials ?? throw new SpecException("search.trials: required for random search"), seed);
        if (parameters.FirstOrDefault(p => !p.IsDiscrete) is { } range)
            throw new SpecException($"parameters.{range.Path}: grid search takes grid and choice values, not {SpecEnum.SnakeCase(range.Distribution.ToString())}");
        if (trials is not null) throw new SpecException("search.trials: grid search runs every combination; drop trials");
        return new SearchSpec(kind, parameters.Aggregate(1, (n, p) => n * p.Values.Count), seed);
    }

    private static ObjectiveSpec Objective(ObjectiveDocument? o, RunSpec baseSpec)
    {
        if (o is null) return new ObjectiveSpec(ObjectiveKind.Loss, null, ObjectiveMode.Min);
        var text = NonEmpty(o.Metric, "objective.metric") ?? "loss";
        ObjectiveSpec spec;
        if (text.StartsWith("task:", StringComparison.Ordinal))
        {
            var task = text["task:".Length..];
            if (baseSpec.Tasks.All(t => t.Name != task))
                throw new SpecException($"objective.metric: the base run spec has no task \"{task}\" (it has {string.Join(", ", baseSpec.Tasks.Select(t => t.Name))})");
            spec = new ObjectiveSpec(ObjectiveKind.Task, task, ObjectiveMode.Max);
        }
        else if (text is "loss" or "metric")
        {
            spec = new ObjectiveSpec(text == "loss" ? ObjectiveKind.Loss : ObjectiveKind.Metric, null, text == "loss" ? ObjectiveMode.Min : ObjectiveMode.Max);
        }
        else
        {
            throw new SpecException($"objective.metric: expected loss, metric or task:<name>, got \"{text}\"");
        }
        return spec with { Mode = Enum<ObjectiveMode>(o.Mode, "objective.mode") ?? spec.Mode };
    }

    private static SchedulerSpec Scheduler(SchedulerDocument? s, int baseSteps, IReadOnlyList<ParameterSpec> parameters)
    {
        var none = new Dictionary<string, IReadOnlyList<double>>();
        if (s is null) return new SchedulerSpec(SchedulerKind.Fifo, 0, 0, baseSteps, 0, 0, none, false);
        var kind = Enum<SchedulerKind>(s.Kind, "scheduler.kind") ?? throw new SpecException("scheduler.kind: required (fifo, asha or pbt)");
        OnlyFor(kind, SchedulerKind.Asha, ("grace_steps", s.GraceSteps), ("reduction_factor", s.ReductionFactor), ("deterministic", s.Deterministic));
        OnlyFor(kind, SchedulerKind.Pbt, ("interval_steps", s.IntervalSteps), ("quantile", s.Quantile), ("mutations", s.Mutations));
        int maxSteps = Positive(s.MaxSteps, "scheduler.max_steps") ?? baseSteps;
        switch (kind)
        {
            case SchedulerKind.Asha:
                int grace = Positive(s.GraceSteps, "scheduler.grace_steps") ?? Math.Max(1, maxSteps / 9);
                int eta = AtLeast(s.ReductionFactor, 2, "scheduler.reduction_factor") ?? 3;
                if (grace >= maxSteps) throw new SpecException($"scheduler.grace_steps: {grace} must be below max_steps {maxSteps}");
                return new SchedulerSpec(kind, grace, eta, maxSteps, 0, 0, none, s.Deterministic ?? false);
            case SchedulerKind.Pbt:
                int interval = Positive(s.IntervalSteps, "scheduler.interval_steps") ?? Math.Max(1, maxSteps / 10);
                if (interval >= maxSteps) throw new SpecException($"scheduler.interval_steps: {interval} must be below max_steps {maxSteps}");
                double quantile = Positive(s.Quantile, "scheduler.quantile") ?? 0.25;
                if (quantile > 0.5) throw new SpecException($"scheduler.quantile: expected at most 0.5, got {quantile}");
                return new SchedulerSpec(kind, 0, 0, maxSteps, interval, quantile, Mutations(s.Mutations, parameters), false);
            default:
                return new SchedulerSpec(kind, 0, 0, maxSteps, 0, 0, none, false);
        }
    }

    /// <summary>Keys of one scheduler kind given to another are refused, naming the keys the given kind takes.</summary>
    private static void OnlyFor(SchedulerKind kind, SchedulerKind owner, params (string Key, object? Value)[] keys)
    {
        if (kind == owner || keys.FirstOrDefault(k => k.Value is not null) is not { Key: { } key }) return;
        var takes = kind switch { SchedulerKind.Asha => ", grace_steps, reduction_factor, deterministic", SchedulerKind.Pbt => ", interval_steps, quantile, mutations", _ => "" };
        throw new SpecException($"scheduler.{key}: only the {Snake(owner)} scheduler takes this key ({Snake(kind)} takes kind, max_steps{takes})");
    }

    private static string Snake(SchedulerKind kind) => SpecEnum.SnakeCase(kind.ToString());

    private static Dictionary<string, IReadOnlyList<double>> Mutations(Dictionary<string, MutationDocument?>? given, IReadOnlyList<ParameterSpec> parameters)
    {
        var result = new Dictionary<string, IReadOnlyList<double>>(StringComparer.Ordinal);
        if (given is null) throw new SpecException("scheduler.mutations: required for pbt (parameter → { \"factors\": [0.8, 1.25] })");
        foreach (var (name, mutation) in given)
        {
            var path = $"scheduler.mutations.{Printable(name)}";
            var parameter = parameters.FirstOrDefault(p => p.Path == name)
                ?? throw new SpecException($"{path}: not one of the sweep's parameters ({string.Join(", ", parameters.Select(p => p.Path))})");
            if (parameter.IsDiscrete) throw new SpecException($"{path}: only range parameters (uniform, log_uniform, int_uniform) can be perturbed by factors");
            if (mutation?.Factors is not { Count: > 0 } factors) throw new SpecException($"{path}.factors: required, a non-empty array of positive numbers");
            result[name] = factors.Select((f, i) => Positive(f, $"{path}.factors[{i}]")!.Value).ToList();
        }
        if (result.Count == 0) throw new SpecException("scheduler.mutations: at least one parameter to perturb");
        return result;
    }
}
