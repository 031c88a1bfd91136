using System.CommandLine;
using Accept.Client.Commands;
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
// Ctrl-C cancels a running job on the cluster and waits for it to confirm; give that time before the process ends.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(60) });
