using System.CommandLine;
using Accept.Client.Cluster;
using Accept.Training.Config;

namespace Accept.Client.Commands;

/// <summary>`accept train --spec FILE [overrides]`: on the named cluster, or on an embedded one; the run directory is the last line printed.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var spec = new Option<FileInfo>("--spec") { Description = "JSON run spec (docs/run-spec.md)", Required = true };
        var runs = new Option<string>("--runs") { Description = "Folder the run directory is created in", DefaultValueFactory = _ => "runs" };
        var command = new Command("train", "Train a run spec's tasks") { spec, runs };
        var overrides = RunSpecOptions.AddTo(command);
        var cluster = ClusterTrainOptions.AddTo(command);
        command.SetAction((parse, cancel) => ClusterErrors.ReportAsync(() =>
        {
            var file = parse.GetValue(spec)!;
            var run = overrides.Apply(RunSpecReader.Read(file.FullName), parse);
            return cluster.RunAsync(parse, run, Path.GetFileNameWithoutExtension(file.Name), parse.GetValue(runs)!, cancel);
        }));
        return command;
    }
}
