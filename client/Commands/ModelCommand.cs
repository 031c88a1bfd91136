using System.CommandLine;

namespace Accept.Client.Commands;

/// <summary>`accept model ...`: inspect and exercise a T5 checkpoint.</summary>
internal static class ModelCommand
{
    public static Command Create()
    {
        var info = new Command("info", "Architecture, sizes, parameter count and dtype of a checkpoint");
        var model = new Option<DirectoryInfo>("--model") { Description = "HF model directory", Required = true };
        info.Options.Add(model);
        info.SetAction(parse =>
        {
            Console.WriteLine(parse.GetValue(model)!.FullName);
            return 0;
        });
        return new Command("model", "Inspect and run a T5 checkpoint") { info };
    }
}
