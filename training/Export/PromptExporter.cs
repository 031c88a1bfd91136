using System.Globalization;
using Accept.Training.Checkpointing;
using Accept.Training.Config;
using Accept.Training.IO;
using Accept.Training.Prompts;
using Accept.Training.T5;
using static TorchSharp.torch;

namespace Accept.Training.Export;

/// <summary>
/// Materialises each task's prompts for inference from any run directory (<see cref="RunCheckpointReader"/>):
/// P (m, d) and ΔE (l, d) composed from the task's weights and its group's codebooks at the chosen
/// checkpoint, written to <c>OUT/TASK/prompts.safetensors</c> (<c>prepended_prompt</c>, <c>added_prompt</c>),
/// plus P as a PEFT prompt-tuning adapter in <c>OUT/TASK/peft/</c>. PEFT has no added prompt: for runs with
/// ΔE the adapter alone is not the trained model, which its README and metadata say. Existing files are never
/// overwritten unless <c>force</c>; non-finite weights are refused.
/// </summary>
public static class PromptExporter
{
    public const string PromptsFile = "prompts.safetensors";
    public const string PrependedName = "prepended_prompt";
    public const string AddedName = "added_prompt";
    public const string PeftFolder = "peft";
    public const string ReadmeFile = "README.md";

    public static IReadOnlyList<ExportedTask> Export(string runDirectory, string outputDirectory, string? task = null,
        CheckpointChoice which = CheckpointChoice.Best, bool force = false)
    {
        var run = RunCheckpointReader.Open(runDirectory);
        var names = task is null ? run.TaskNames : [task];
        foreach (var name in names) run.GroupOf(name);
        if (!force)
        {
            var existing = names.SelectMany(n => FilesOf(Path.Combine(outputDirectory, n))).Where(File.Exists).ToList();
            if (existing.Count > 0)
                throw new IOException($"--out: {existing[0]} already exists{(existing.Count > 1 ? $" (and {existing.Count - 1} more)" : "")}; choose another --out or add --force");
        }
        var results = new List<ExportedTask>();
        foreach (var name in names)
        {
            using var trained = run.LoadTask(name, which);
            results.Add(ExportTask(run.Spec, trained, Path.Combine(outputDirectory, name)));
        }
        return results;
    }

    private static IEnumerable<string> FilesOf(string directory) =>
    [
        Path.Combine(directory, PromptsFile),
        Path.Combine(directory, PeftFolder, PeftPromptAdapter.ConfigFile),
        Path.Combine(directory, PeftFolder, PeftPromptAdapter.WeightsFile),
        Path.Combine(directory, PeftFolder, ReadmeFile),
    ];

    private static ExportedTask ExportTask(RunSpec spec, TrainedTask trained, string directory)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var backboneConfig = spec.Backbone is { } b && File.Exists(Path.Combine(b, "config.json")) ? T5Config.Load(Path.Combine(b, "config.json")) : null;
        var layout = spec.Method.ToLayout(backboneConfig?.DModel ?? InferDModel(trained));
        using var adapter = new TaskAdapter(trained.Task, layout, spec.Optimization.Seed);
        adapter.LoadStateDict(trained.State.Tensors);
        var codebooks = trained.Codebooks.Codebooks;
        var prompt = adapter.BuildPrepended(codebooks).detach().contiguous();
        var added = adapter.BuildAdded(codebooks)?.detach().contiguous();
        foreach (var (what, tensor) in new[] { ("P", prompt), ("ΔE", added) })
        {
            if (tensor is not null && !isfinite(tensor).all().item<bool>())
                throw new InvalidDataException($"task '{trained.Task}': {what} at step {trained.Step} ({trained.Which.ToString().ToLowerInvariant()} checkpoint) holds NaN or infinite values; the run diverged there, nothing was exported");
        }
        var tensors = new Dictionary<string, Tensor> { [PrependedName] = prompt };
        if (added is not null) tensors[AddedName] = added;
        Directory.CreateDirectory(directory);
        SafetensorsWriter.Write(Path.Combine(directory, PromptsFile), tensors, new Dictionary<string, string>
        {
            ["task"] = trained.Task,
            ["step"] = trained.Step.ToString(CultureInfo.InvariantCulture),
            ["checkpoint"] = trained.Which.ToString().ToLowerInvariant(),
            ["added_kind"] = layout.Added.ToString().ToLowerInvariant(),
        });
        var peft = Path.Combine(directory, PeftFolder);
        PeftPromptAdapter.Write(peft, prompt, spec.Backbone, backboneConfig?.NumLayers, backboneConfig?.NumHeads,
            added is null ? null : $"incomplete: the trained model also adds ΔE ({AddedName} in ../{PromptsFile}) to the input embeddings");
        AtomicFile.WriteAllText(Path.Combine(peft, ReadmeFile), Readme(trained, added is not null));
        return new ExportedTask(trained.Task, directory, trained.Step, trained.Which == CheckpointChoice.Best, prompt.shape, added?.shape, trained.Notes);
    }

    private static string Readme(TrainedTask trained, bool hasAdded) =>
        $"# PEFT prompt-tuning adapter for task '{trained.Task}'\n\n" +
        $"P (prepended prompt) from the {trained.Which.ToString().ToLowerInvariant()} checkpoint, step {trained.Step}.\n\n" +
        (hasAdded
            ? $"**This adapter alone is not the trained model.** The run also trained an added prompt ΔE that is added to the\n" +
              $"input token embeddings; PEFT's prompt tuning has no place for it. ΔE is `{AddedName}` in `../{PromptsFile}`:\n" +
              "add it to the first l input embeddings before the encoder, as `accept predict` does.\n"
            : "The run trained no added prompt: this adapter is the whole trained prompt.\n");

    /// <summary>d_model without the backbone: a free prompt's width, else the SCPP codebook's (K, r, t) as K·t.</summary>
    private static int InferDModel(TrainedTask trained)
    {
        if (trained.State.Tensors.TryGetValue(PromptTensorNames.FreePrompt, out var p) && p.dim() == 2) return (int)p.shape[1];
        if (trained.Codebooks.Tensors.TryGetValue(PromptTensorNames.ScppCodebook, out var c) && c.dim() == 3) return (int)(c.shape[0] * c.shape[2]);
        throw new InvalidDataException($"task '{trained.Task}': the backbone's config.json is not readable and the checkpoint does not tell d_model");
    }
}
