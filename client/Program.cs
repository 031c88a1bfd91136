using System.CommandLine;
using Accept.Client.Commands;
using Accept.Client.Errors;
using Spectre.Console;

// Redirected output (logs, CI) has no terminal width; Spectre would assume 80 columns and wrap tables.
if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 160;

var root = new RootCommand("accept — ACCEPT prompt tuning for many tasks at once, on Orleans and TorchSharp")
{
    DemoCommand.Create(),
    ModelCommand.Create(),
    BenchCommand.Create(),
    TokenizeCommand.Create(),
    ParamsCommand.Create(),
    GenerateCommand.Create(),
    TrainCommand.Create(),
    ExportCommand.Create(),
    EvalCommand.Create(),
    PredictCommand.Create(),
    StatusCommand.Create(),
    CancelCommand.Create(),
    SweepCommand.Create(),
};
// No response files: an argument starting with '@' is text (`accept tokenize --model DIR @home` tokenizes "@home"), never a file to read.
var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors) Console.Error.WriteLine($"error: {error.Message}");
    Console.Error.WriteLine("(--help lists the options)");
    return ExitCodes.BadInput;
}
try
{
    // Ctrl-C cancels a running job on the cluster and waits for it to confirm; give that time before the process ends.
    // Exceptions come here rather than to System.CommandLine's handler, which prints stack traces.
    return await parse.InvokeAsync(new InvocationConfiguration
    {
        ProcessTerminationTimeout = TimeSpan.FromSeconds(60),
        EnableDefaultExceptionHandler = false,
    });
}
catch (Exception e)
{
    return CliErrors.Report(e, Console.Error);
}
