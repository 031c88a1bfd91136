using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Accept.Client.Benchmarks.Chaos;
using Accept.Client.Cluster;
using Accept.Training.Config;

namespace Accept.Client.Commands;

/// <summary>
/// `accept bench chaos`: real processes on loopback (Redis, a coordinator and two worker silos, the client), a
/// machine fault at a random step of each run, and one JSON object of figures per fault on stdout
/// (docs/reliability.md, "Machine faults"). Progress goes to stderr.
/// </summary>
internal static class BenchChaosCommand
{
    public static Command Create()
    {
        var runs = new Option<int>("--runs") { Description = "Runs per fault, each on a fresh cluster", DefaultValueFactory = _ => 1 };
        var fault = new Option<string>("--fault") { Description = $"Comma-separated faults: {string.Join(", ", ChaosFaults.Names)}", DefaultValueFactory = _ => "worker-kill" };
        var spec = new Option<FileInfo?>("--spec") { Description = "Run spec (default: three tiny tasks on a tiny random T5, 60 steps, a checkpoint every 10)" };
        var seed = new Option<int>("--seed") { Description = "Seed of the fault steps and of the worker chosen", DefaultValueFactory = _ => 1 };
        var noBaseline = new Option<bool>("--no-baseline") { Description = "Skip the uninterrupted run whose final losses each run is compared with" };
        var timeout = new Option<double>("--run-timeout") { Description = "Seconds a run may take before it counts as not finished", DefaultValueFactory = _ => 240 };
        var ports = new Option<int>("--ports") { Description = "First of 500 loopback ports for Redis, the silos and their HTTP endpoints (default: ports the system picks)" };
        var keep = new Option<bool>("--keep") { Description = "Keep the work folder (every process's log, checkpoints, run directories)" };
        var command = new Command("chaos", "Machine faults on real silo processes: finished runs, re-done steps, double-applied steps, recovery time (JSON per fault)")
        {
            runs, fault, spec, seed, noBaseline, timeout, ports, keep,
        };
        command.SetAction((parse, cancel) => ClusterErrors.ReportAsync(async () =>
        {
            var faults = parse.GetValue(fault)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ChaosFaults.Parse).Distinct().ToList();
            var runCount = parse.GetValue(runs);
            var seconds = parse.GetValue(timeout);
            if (runCount < 1 || faults.Count == 0 || !(seconds > 0))
            {
                throw new ArgumentException("--runs must be at least 1, --fault must name a fault and --run-timeout must be a positive number of seconds.");
            }
            var firstPort = parse.GetValue(ports);
            if (firstPort != 0 && firstPort is < 1024 or > 65535 - ChaosPorts.RangeSize)
            {
                throw new ArgumentException($"--ports is {firstPort}; expected 0 (the system picks) or a port from 1024 to {65535 - ChaosPorts.RangeSize}.");
            }
            var work = Directory.CreateTempSubdirectory("accept-bench-chaos-").FullName;
            var options = new ChaosOptions(runCount, faults, parse.GetValue(spec)?.FullName, parse.GetValue(seed), !parse.GetValue(noBaseline), TimeSpan.FromSeconds(seconds), work, firstPort);
            try
            {
                await ChaosBenchmark.RunAsync(options, json => Console.WriteLine(json.ToJsonString()), Progress, cancel);
            }
            finally
            {
                if (parse.GetValue(keep))
                {
                    Progress($"work folder kept: {work}");
                }
                else
                {
                    TryDelete(work);
                }
            }
            return 0;
        }));
        return command;
    }

    private static void Progress(string message) => Console.Error.WriteLine($"[{DateTime.UtcNow.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}] {message}");

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A process that just died may have held a file; the temp folder is left behind.
        }
    }
}
