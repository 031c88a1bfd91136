using Accept.Training.Checkpointing;
using Accept.Training.Config;
using Accept.Training.Prompts;
using Accept.Training.T5;
using Accept.Training.Tokenization;
using static TorchSharp.torch;

namespace Accept.Training.Prediction;

/// <summary>
/// A run directory opened for inference without loading its tasks' data: its spec.json, the frozen backbone
/// and tokenizer it names, and its prompt layout. Owns the backbone.
/// </summary>
public sealed class TrainedRun : IDisposable
{
    private TrainedRun(string directory, RunSpec spec, T5Model backbone, ITextTokenizer tokenizer, PromptLayout layout, Device? device)
    {
        Directory = directory;
        Spec = spec;
        Backbone = backbone;
        Tokenizer = tokenizer;
        Layout = layout;
        Device = device;
    }

    public string Directory { get; }
    public RunSpec Spec { get; }
    public T5Model Backbone { get; }
    public ITextTokenizer Tokenizer { get; }
    public PromptLayout Layout { get; }
    public Device? Device { get; }

    /// <summary>The run's spec.json; a folder without one is not a run directory.</summary>
    public static RunSpec ReadSpec(string runDirectory)
    {
        var path = Path.Combine(runDirectory, "spec.json");
        if (!File.Exists(path)) throw new InvalidDataException($"{Path.GetFullPath(runDirectory)}: not a run directory (spec.json missing)");
        return RunSpecReader.Read(path);
    }

    public static TrainedRun Open(string runDirectory, Device? device = null)
    {
        var directory = Path.GetFullPath(runDirectory);
        var spec = ReadSpec(directory);
        var backbone = spec.Backbone ?? throw new InvalidDataException($"{directory}/spec.json names no backbone");
        if (!System.IO.Directory.Exists(backbone)) throw new InvalidDataException($"{directory}/spec.json: backbone directory '{backbone}' not found");
        var tokenizer = T5Tokenizer.Load(Path.Combine(backbone, T5Tokenizer.ModelFileName));
        var model = T5Model.Load(backbone, device);
        try
        {
            return new TrainedRun(directory, spec, model, tokenizer, spec.Method.ToLayout(model.Config.DModel), device);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public TaskSpec Task(string name) => Spec.Tasks.FirstOrDefault(t => t.Name == name)
        ?? throw new ArgumentException($"--task: the run has no task '{name}' (tasks: {string.Join(", ", Spec.Tasks.Select(t => t.Name))})");

    public TaskDecoder Decoder(string task, int? maxNewTokens = null) => TaskDecoder.For(Backbone, Tokenizer, Spec, Task(task), Device, maxNewTokens);

    public TrainedAdapter Load(string task, CheckpointChoice which) => TrainedTaskLoader.Load(Directory, Spec, Layout, task, which, Device);

    public void Dispose() => Backbone.Dispose();
}
