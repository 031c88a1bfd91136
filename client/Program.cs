using System.CommandLine;
using Accept.Client.Commands;

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
    StatusCommand.Create(),
    CancelCommand.Create(),
};
// Ctrl-C cancels a running job on the cluster and waits for it to confirm; give that time before the process ends.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(60) });
