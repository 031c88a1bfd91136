using System.CommandLine;
using Accept.Training.MultiTask;
using Spectre.Console;

namespace Accept.Client.Commands;

/// <summary>`accept model init --out DIR [--size tiny|small] [--vocab N] [--cache DIR]`: an untrained T5 in the HF layout with a tokenizer trained on the demo corpora.</summary>
internal static class ModelInitCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "where to write config.json, model.safetensors and spiece.model", Required = true };
        var size = new Option<string>("--size") { Description = "tiny (d_model 128, 2+2 layers) or small (t5-small's shape)", DefaultValueFactory = _ => "tiny" };
        var vocab = new Option<int>("--vocab") { Description = "tokenizer pieces (at most; the corpora may yield fewer)", DefaultValueFactory = _ => DemoBackbone.DefaultVocabSize };
        var cache = new Option<DirectoryInfo>("--cache") { Description = "npm cache of the demo data sets", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(".cache", "npm-datasets")) };
        var init = new Command("init", "Write a randomly initialised (untrained) T5 with a tokenizer built from the demo corpora") { output, size, vocab, cache };
        init.SetAction(parse =>
        {
            var sizeText = parse.GetValue(size)!;
            if (!Enum.TryParse<BackboneSize>(sizeText, ignoreCase: true, out var backboneSize) || !Enum.IsDefined(backboneSize))
            {
                throw new ArgumentException($"--size: expected tiny or small, got \"{sizeText}\"");
            }
            var directory = parse.GetValue(output)!.FullName;
            {
                var progress = new SyncProgress(m => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(m)}[/]"));
                int pieces = DemoBackbone.Create(directory, backboneSize, parse.GetValue(vocab), parse.GetValue(cache)!.FullName, progress);
                AnsiConsole.MarkupLine($"[yellow]This backbone is untrained (random weights):[/] prompt tuning on it lowers the loss but stays near the majority baseline. "
                    + "Point a run spec's \"backbone\" at a pretrained T5 (e.g. t5-base) for real results.");
                AnsiConsole.MarkupLine($"vocabulary: {pieces} pieces");
                Console.WriteLine(directory);
                return 0;
            }
        });
        return init;
    }
}
