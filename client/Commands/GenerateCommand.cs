using Accept.Training.Checkpointing;
using System.CommandLine;
using Accept.Client.Errors;
using Accept.Client.Options;
using Accept.Training.Config;
using Accept.Training.Data;
using Accept.Training.Devices;
using Accept.Training.IO;
using Accept.Training.Prediction;
using Accept.Training.T5;
using Accept.Training.Tokenization;
using TorchSharp;

namespace Accept.Client.Commands;

/// <summary>
/// `accept generate`: greedy decoding of one text, either with a bare backbone (`--model DIR`) or with a
/// run's trained task (`--run DIR --task NAME`: its P and ΔE, the task's input formatting, as predict).
/// </summary>
internal static class GenerateCommand
{
    private const int BareDefaultTokens = 20;

    /// <summary>Greedy decoding allocates a step per token; beyond this an answer is not a prompt-tuned T5's output but a hang.</summary>
    public const int MaxNewTokens = 4096;

    public static Command Create()
    {
        var model = new Option<DirectoryInfo?>("--model") { Description = "HF model directory with config.json, model.safetensors and spiece.model (a bare backbone)" };
        var run = new Option<DirectoryInfo?>("--run") { Description = "a run directory: generate with one of its trained tasks (give --task)" };
        var task = new Option<string?>("--task") { Description = "with --run: the task whose prompts to use" };
        var which = new Option<string>("--which") { Description = "with --run: best (chosen on validation) or last", DefaultValueFactory = _ => "best" };
        var text = new Option<string>("--text")
        {
            Description = "Input text (with --run: the task's input field; for a paper task, the formatted encoder input \"premise: … hypothesis: …\")",
            Required = true,
        };
        var maxNew = new Option<int?>("--max-new-tokens") { Description = $"Most tokens to generate (default {BareDefaultTokens}; with --run the task's max_target_length, also the upper bound; at most {MaxNewTokens})" }
            .InRange(1, MaxNewTokens);
        var device = new Option<string>("--device") { Description = DeviceSelection.Names, DefaultValueFactory = _ => "cpu" };
        var command = new Command("generate", "Greedy generation for one input text") { model, run, task, which, text, maxNew, device };
        command.SetAction(parse =>
        {
            try
            {
                var input = parse.GetValue(text)!;
                var limit = parse.GetValue(maxNew);
                if (parse.GetValue(run) is { } runDirectory)
                {
                    if (parse.GetValue(model) is not null) throw new ArgumentException("give either --model (a bare backbone) or --run (a trained task), not both");
                    var name = parse.GetValue(task) ?? throw new ArgumentException("--run needs --task NAME");
                    var choice = CheckpointChoices.Parse(parse.GetValue(which)!);
                    parse.InvocationConfiguration.Output.WriteLine(WithTask(runDirectory.FullName, name, choice, input, limit, parse.GetValue(device)!));
                    return 0;
                }
                var directory = parse.GetValue(model)?.FullName ?? throw new ArgumentException("give --model DIR (a bare backbone) or --run DIR --task NAME");
                if (parse.GetValue(task) is not null) throw new ArgumentException("--task applies to --run");
                if (limit is < 1) throw new ArgumentException($"--max-new-tokens must be at least 1, found {limit}");
                parse.InvocationConfiguration.Output.WriteLine(Bare(directory, input, limit ?? BareDefaultTokens));
                return 0;
            }
            catch (Exception e) when (e is CheckpointException or SpecException or IOException or InvalidDataException or ArgumentException or DataFormatException)
            {
                return CliErrors.Report(e, parse.InvocationConfiguration.Error);
            }
        });
        return command;
    }

    private static string WithTask(string runDirectory, string name, CheckpointChoice which, string text, int? maxNewTokens, string device)
    {
        var spec = TrainedRun.ReadSpec(runDirectory);
        var taskSpec = spec.Tasks.FirstOrDefault(t => t.Name == name)
            ?? throw new ArgumentException($"--task: the run has no task '{name}' (tasks: {string.Join(", ", spec.Tasks.Select(t => t.Name))})");
        // The text stands for the task's one input field; a paper task takes its encoder input already formatted.
        var format = TaskInputFormat.For(taskSpec, taskSpec.Source == TaskSource.Paper ? "text" : null);
        var encoderInput = format.Format(_ => string.IsNullOrWhiteSpace(text) ? throw new ArgumentException("--text is empty") : text);
        using var trainedRun = TrainedRun.Open(runDirectory, DeviceSelection.Resolve(device, "--device"));
        var decoder = trainedRun.Decoder(name, maxNewTokens);
        using var trained = trainedRun.Load(name, which);
        foreach (var note in trained.Notes) Console.Error.WriteLine($"warning: {note}");
        return decoder.Decode(trained, [encoderInput], 1)[0];
    }

    private static string Bare(string directory, string text, int limit)
    {
        var tokenizer = T5Tokenizer.Load(directory);
        using var t5 = T5Model.Load(directory);
        TokenizerChecks.EnsureFitsModel(tokenizer, t5.Config.VocabSize, tokenizer.ModelPath, directory);
        using var scope = torch.NewDisposeScope();
        var ids = tokenizer.Encode(text).Select(i => (long)i).ToArray();
        var input = torch.tensor(ids).unsqueeze(0);
        using var result = t5.Generate(t5.EmbedTokens(input), torch.ones_like(input), limit);
        // Skip the decoder start id; Decode drops pad and eos.
        return tokenizer.Decode(result.Sequences[0, 1..].data<long>().ToArray().Select(i => (int)i));
    }
}
