using System.CommandLine;
using Accept.Client.Commands;

var root = new RootCommand("accept — ACCEPT prompt tuning for many tasks at once, on Orleans and TorchSharp")
{
    ModelCommand.Create(),
    BenchCommand.Create(),
    TokenizeCommand.Create(),
    ParamsCommand.Create(),
    GenerateCommand.Create(),
    TrainCommand.Create(),
    ExportCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
