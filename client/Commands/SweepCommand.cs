using System.CommandLine;
using System.Text.Json;
using Accept.Client.Cluster;
using Accept.GrainInterfaces.Sweeps;
using Spectre.Console;

namespace Accept.Client.Commands;

/// <summary>
/// `accept sweep --spec FILE [--redis|--gateway]` (embedded two-silo cluster when none is named),
/// `accept sweep --resume DIR`, `accept sweep status [--sweep ID] [--watch] [--json]`, `accept sweep cancel [--sweep ID]`.
/// </summary>
internal static class SweepCommand
{
    public static Command Create()
    {
        var spec = new Option<FileInfo?>("--spec") { Description = "JSON sweep spec (docs/sweeps.md)" };
        var resume = new Option<DirectoryInfo?>("--resume") { Description = "continue a sweep directory (its state.json and sweep.json)" };
        var runsDir = new Option<DirectoryInfo>("--runs-dir") { Description = "where sweep directories are created", DefaultValueFactory = _ => new DirectoryInfo("runs") };
        var cacheRoot = new Option<DirectoryInfo>("--cache-root") { Description = "cache of the demo data sets and demo backbone", DefaultValueFactory = _ => new DirectoryInfo(".cache") };
        var silos = new Option<int>("--silos") { Description = "worker silos of the embedded cluster (when no cluster is named)", DefaultValueFactory = _ => 2 };
        var command = new Command("sweep", "Run a hyperparameter sweep (grid/random search, ASHA, PBT) as jobs on a cluster") { spec, resume, runsDir, cacheRoot, silos };
        var cluster = ClusterFlags.AddTo(command);
        command.Subcommands.Add(Status());
        command.Subcommands.Add(Cancel());
        command.SetAction(parse =>
        {
            using var stop = new StopSignal();
            return ClusterErrors.ReportAsync(async () =>
            {
                var request = new SweepRunner.Request(parse.GetValue(spec)?.FullName, parse.GetValue(resume)?.FullName, parse.GetValue(runsDir)!.FullName,
                    parse.GetValue(cacheRoot)!.FullName, cluster.Resolve(parse), parse.GetValue(silos));
                var (status, directory) = await SweepRunner.RunAsync(request, ClientConsole.Create(), stop.Token);
                Console.WriteLine(directory);
                return status.Phase == "running" && !stop.IsStopRequested ? 1 : 0;
            }).GetAwaiter().GetResult();
        });
        return command;
    }

    private static Command Status()
    {
        var sweep = new Option<string?>("--sweep") { Description = "Sweep id (printed by `accept sweep`); default: the last sweep started here" };
        var watch = new Option<bool>("--watch") { Description = "Refresh until the sweep ends" };
        var json = new Option<bool>("--json") { Description = "Print the status as JSON" };
        var command = new Command("status", "Show a sweep's trials on a running cluster") { sweep, watch, json };
        var cluster = ClusterFlags.AddTo(command);
        command.SetAction((parse, cancel) => ClusterErrors.ReportAsync(async () =>
        {
            var id = LastSweep.Resolve(parse.GetValue(sweep));
            await using var connection = await ClusterConnection.ConnectAsync(cluster.ResolveOrLocal(parse), cancel);
            var grain = connection.Client.GetGrain<ISweepGrain>(id);
            var status = await Require(grain, id, connection.Description);
            var console = ClientConsole.Create();
            if (parse.GetValue(watch))
            {
                try
                {
                    status = await SweepRunner.WatchAsync(console, grain, status, cancel);
                }
                catch (OperationCanceledException)
                {
                    return 130;
                }
            }
            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(status, new JsonSerializerOptions { WriteIndented = true }));
            else console.Write(SweepTable.Build(status));
            return 0;
        }));
        return command;
    }

    private static Command Cancel()
    {
        var sweep = new Option<string?>("--sweep") { Description = "Sweep id; default: the last sweep started here" };
        var command = new Command("cancel", "Cancel a sweep: its running trials stop, pending ones are cancelled") { sweep };
        var cluster = ClusterFlags.AddTo(command);
        command.SetAction((parse, cancel) => ClusterErrors.ReportAsync(async () =>
        {
            var id = LastSweep.Resolve(parse.GetValue(sweep));
            await using var connection = await ClusterConnection.ConnectAsync(cluster.ResolveOrLocal(parse), cancel);
            var grain = connection.Client.GetGrain<ISweepGrain>(id);
            await Require(grain, id, connection.Description);
            var status = await grain.Cancel();
            ClientConsole.Create().Write(SweepTable.Build(status));
            return 0;
        }));
        return command;
    }

    private static async Task<SweepStatus> Require(ISweepGrain grain, string id, string cluster)
    {
        try
        {
            return await grain.GetStatus();
        }
        catch (InvalidOperationException e)
        {
            throw new ArgumentException($"--sweep {id}: no such sweep on {cluster} ({e.Message})", e);
        }
    }
}
