using Accept.Training.Config;
using Accept.Training.Data;
using Accept.Training.Data.Demo;
using Accept.Training.Prompts;
using Accept.Training.T5;
using Accept.Training.Tokenization;

namespace Accept.Training.MultiTask;

/// <summary>
/// Everything a process resolves from a run spec once: the backbone's directory and config, its
/// tokenizer, the prompt layout, every task's loaded data and the codebook groups. The in-process trainer
/// and the silos' task and codebook grains build their sessions from it, so both read the same data.
/// </summary>
public sealed class RunContext
{
    private RunContext(RunSpec spec, string backboneDirectory, T5Config backboneConfig, ITextTokenizer tokenizer, PromptLayout layout,
        IReadOnlyDictionary<string, TaskData> data)
    {
        Spec = spec;
        BackboneDirectory = backboneDirectory;
        BackboneConfig = backboneConfig;
        Tokenizer = tokenizer;
        Layout = layout;
        Data = data;
    }

    public RunSpec Spec { get; }
    public string BackboneDirectory { get; }
    public T5Config BackboneConfig { get; }
    public ITextTokenizer Tokenizer { get; }
    public PromptLayout Layout { get; }

    /// <summary>Loaded splits by task name.</summary>
    public IReadOnlyDictionary<string, TaskData> Data { get; }

    /// <summary>Task names in spec order.</summary>
    public IReadOnlyList<string> TaskNames => Spec.Tasks.Select(t => t.Name).ToList();

    /// <summary>Group name → member task names (in ordinal order, the order rounds sum in).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Groups =>
        Spec.CodebookGroups.ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Value.Order(StringComparer.Ordinal).ToList());

    public TaskSpec Task(string name) =>
        Spec.Tasks.FirstOrDefault(t => t.Name == name) ?? throw new ArgumentException($"task '{name}' is not in the run spec (tasks: {string.Join(", ", TaskNames)})");

    public string GroupOf(string taskName) => Task(taskName).CodebookGroup;

    /// <summary>
    /// Resolves relative paths against the current directory (<see cref="Spec"/> holds them absolute), reads the backbone's config.json and spiece.model (not its weights), checks the method against its
    /// width, checks that the demo corpora a demo task needs are installed (the client installs them: <see cref="PrepareDemoData"/>), and loads every task's splits.
    /// </summary>
    /// <param name="demoCacheDir">The npm cache of the demo data sets, for demo tasks that give no <c>path</c>.</param>
    public static RunContext Load(RunSpec spec, string demoCacheDir, IProgress<string>? progress = null)
    {
        if (spec.Tasks.Count == 0) throw new SpecException("tasks: the run spec has no tasks");
        spec = spec.WithAbsolutePaths();
        var backbone = spec.Backbone ?? throw new SpecException("backbone: no backbone directory given (`accept model init --out DIR` makes an untrained one)");
        var directory = Path.GetFullPath(backbone);
        if (!Directory.Exists(directory)) throw new SpecException($"backbone: directory '{directory}' not found");
        var config = T5Config.Load(Path.Combine(directory, "config.json"));
        var tokenizerPath = Path.Combine(directory, T5Tokenizer.ModelFileName);
        if (!File.Exists(tokenizerPath))
            throw new SpecException($"backbone: '{tokenizerPath}' not found; the backbone directory must hold the tokenizer's {T5Tokenizer.ModelFileName}");
        var tokenizer = T5Tokenizer.Load(tokenizerPath);
        if (tokenizer.VocabSize > config.VocabSize)
            throw new SpecException($"backbone: {tokenizerPath} has {tokenizer.VocabSize} pieces but the model's vocab_size is {config.VocabSize}");
        var layout = spec.Method.ToLayout(config.DModel);
        StepMemoryEstimate.EnsureFits(spec, config);

        // The client installs the demo data sets (npm) before it trains or submits; a silo never runs npm.
        if (spec.Tasks.FirstOrDefault(t => t.Source == TaskSource.Demo && t.Path is null) is { } demo && !DemoDatasets.IsComplete(demoCacheDir))
            throw new SpecException($"tasks: '{demo.Name}' is a demo task but the demo data sets are not installed in {demoCacheDir}; "
                + "the client installs them before it trains or submits (accept train, accept demo), or give the task a \"path\"");
        var data = new Dictionary<string, TaskData>();
        foreach (var task in spec.Tasks)
        {
            progress?.Report($"loading task '{task.Name}' ({task.Source} {task.Dataset})");
            var loaded = TaskSpecLoader.Load(task, DataSeed(spec.Optimization.Seed), demoCacheDir);
            if (loaded.Train.Count == 0) throw new SpecException($"tasks: '{task.Name}' has no training examples");
            if (loaded.Validation.Count == 0) throw new SpecException($"tasks: '{task.Name}' has no validation examples");
            data[task.Name] = loaded;
        }
        return new RunContext(spec, directory, config, tokenizer, layout, data);
    }

    /// <summary>Installs the demo data sets (npm) when a demo task without a path needs them: the client's step before <see cref="Load"/>.</summary>
    public static void PrepareDemoData(RunSpec spec, string demoCacheDir, IProgress<string>? progress = null)
    {
        if (spec.Tasks.Any(t => t.Source == TaskSource.Demo && t.Path is null))
            DemoDatasets.EnsureInstalled(demoCacheDir, progress);
    }

    /// <summary>The data layer takes an int seed; seeds outside its range are folded into it.</summary>
    private static int DataSeed(long seed) => seed is >= int.MinValue and <= int.MaxValue ? (int)seed : (int)(SeedDerivation.Derive(seed, "data") & int.MaxValue);
}
