using Accept.Training.Checkpointing;
using Accept.Training.Config;
using Accept.Training.IO;
using Accept.Training.Prompts;
using Accept.Training.T5;
using static TorchSharp.torch;

namespace Accept.Training.Export;

/// <summary>
/// Materialises each task's prompts for inference from a run directory: P (m, d) and ΔE (l, d) composed
/// from the task's weights and its group's codebooks at the task's best evaluation (else the latest
/// checkpoint), written to <c>OUT/TASK/prompts.safetensors</c> (<c>prepended_prompt</c>, <c>added_prompt</c>),
/// plus P as a PEFT prompt-tuning adapter in <c>OUT/TASK/peft/</c>.
/// </summary>
public static class PromptExporter
{
    public const string PromptsFile = "prompts.safetensors";
    public const string PrependedName = "prepended_prompt";
    public const string AddedName = "added_prompt";

    public static IReadOnlyList<ExportedTask> Export(string runDirectory, string outputDirectory, string? task = null)
    {
        var specPath = Path.Combine(runDirectory, "spec.json");
        if (!File.Exists(specPath)) throw new InvalidDataException($"{runDirectory}: not a run directory (spec.json missing)");
        var spec = RunSpecReader.Read(specPath);
        var names = spec.Tasks.Select(t => t.Name).ToList();
        if (task is not null && !names.Contains(task))
            throw new ArgumentException($"--task: the run has no task '{task}' (tasks: {string.Join(", ", names)})");
        var checkpoints = new RunCheckpoints(Path.Combine(runDirectory, "checkpoints"));
        var results = new List<ExportedTask>();
        foreach (var name in task is null ? names : [task])
        {
            var best = checkpoints.Best(name);
            var folder = best ?? checkpoints.Latest() ?? throw new InvalidDataException($"{runDirectory}: no checkpoint holds task '{name}'");
            results.Add(ExportTask(spec, name, folder, best is not null, Path.Combine(outputDirectory, name)));
        }
        return results;
    }

    private static ExportedTask ExportTask(RunSpec spec, string name, CheckpointFolder folder, bool fromBest, string directory)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var group = spec.Tasks.First(t => t.Name == name).CodebookGroup;
        var layout = spec.Method.ToLayout(folder.Manifest.DModel);
        using var state = folder.Task(name);
        using var codebooks = folder.Group(folder.GroupNames.Count == 1 ? folder.GroupNames[0] : group);
        using var adapter = new TaskAdapter(name, layout, spec.Optimization.Seed);
        adapter.LoadStateDict(state.Tensors);
        var prompt = adapter.BuildPrepended(codebooks.Codebooks).detach().contiguous();
        var added = adapter.BuildAdded(codebooks.Codebooks)?.detach().contiguous();

        var tensors = new Dictionary<string, Tensor> { [PrependedName] = prompt };
        if (added is not null) tensors[AddedName] = added;
        SafetensorsWriter.Write(Path.Combine(directory, PromptsFile), tensors, new Dictionary<string, string>
        {
            ["task"] = name,
            ["step"] = folder.Step.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["checkpoint"] = fromBest ? "best" : "latest",
            ["added_kind"] = layout.Added.ToString().ToLowerInvariant(),
        });
        var backboneConfig = spec.Backbone is { } b && File.Exists(Path.Combine(b, "config.json")) ? T5Config.Load(Path.Combine(b, "config.json")) : null;
        PeftPromptAdapter.Write(Path.Combine(directory, "peft"), prompt, spec.Backbone, backboneConfig?.NumLayers, backboneConfig?.NumHeads);
        return new ExportedTask(name, directory, folder.Step, fromBest, prompt.shape, added?.shape);
    }
}
