using System.CommandLine;
using Accept.Training.Tokenization;

namespace Accept.Client.Commands;

/// <summary>`accept tokenize`: the ids T5 sees for each text, one JSON array per line.</summary>
internal static class TokenizeCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model")
        {
            Description = "Directory holding spiece.model, or the spiece.model file itself",
            Required = true,
        };
        var eos = new Option<bool>("--eos") { Description = "Append the end-of-sequence id, as T5 does for every input" };
        var texts = new Argument<string[]>("TEXT") { Description = "Texts to tokenize", Arity = ArgumentArity.OneOrMore };
        var command = new Command("tokenize", "Print T5 token ids of each text (one JSON array per line)") { model, eos, texts };
        command.SetAction(parse => Run(
            parse.GetRequiredValue(model),
            parse.GetValue(eos),
            parse.GetRequiredValue(texts),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string modelPath, bool addEos, IReadOnlyList<string> texts, TextWriter output, TextWriter error)
    {
        // A missing or malformed model ends in Program.cs (Errors/CliErrors): one line, exit code 2.
        var tokenizer = T5Tokenizer.Load(modelPath);
        foreach (var text in texts)
            output.WriteLine($"[{string.Join(',', tokenizer.Encode(text, addEos))}]");
        return 0;
    }
}
