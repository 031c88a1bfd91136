using System.CommandLine;
using Accept.Client.Options;
using Accept.Training.IO;
using Accept.Training.T5;
using Accept.Training.Tokenization;
using TorchSharp;

namespace Accept.Client.Commands;

/// <summary>`accept generate`: greedy decoding of one text with a checkpoint and its spiece.model.</summary>
internal static class GenerateCommand
{
    /// <summary>Greedy decoding allocates a step per token; beyond this an answer is not a prompt-tuned T5's output but a hang.</summary>
    public const int MaxNewTokens = 4096;

    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "HF model directory with config.json, model.safetensors and spiece.model", Required = true };
        var text = new Option<string>("--text") { Description = "Input text", Required = true };
        var maxNew = new Option<int>("--max-new-tokens") { Description = $"Most tokens to generate (1 to {MaxNewTokens})", DefaultValueFactory = _ => 20 }
            .InRange(1, MaxNewTokens);
        var command = new Command("generate", "Greedy generation for one input text") { model, text, maxNew };
        command.SetAction(parse =>
        {
            var directory = parse.GetValue(model)!.FullName;
            var limit = parse.GetValue(maxNew);
            // A missing or malformed model ends in Program.cs (Errors/CliErrors): one line, exit code 2.
            {
                var tokenizer = T5Tokenizer.Load(directory);
                using var t5 = T5Model.Load(directory);
                TokenizerChecks.EnsureFitsModel(tokenizer, t5.Config.VocabSize, tokenizer.ModelPath, directory);
                using var scope = torch.NewDisposeScope();
                var ids = tokenizer.Encode(parse.GetValue(text)!).Select(i => (long)i).ToArray();
                var input = torch.tensor(ids).unsqueeze(0);
                using var result = t5.Generate(t5.EmbedTokens(input), torch.ones_like(input), limit);
                // Skip the decoder start id; Decode drops pad and eos.
                var generated = result.Sequences[0, 1..].data<long>().ToArray().Select(i => (int)i);
                parse.InvocationConfiguration.Output.WriteLine(tokenizer.Decode(generated));
                return 0;
            }
        });
        return command;
    }
}
