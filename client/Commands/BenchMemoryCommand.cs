using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Accept.Client.Benchmarks;
using Accept.Client.Benchmarks.Memory;
using Spectre.Console;

using Accept.Client.Options;

namespace Accept.Client.Commands;

/// <summary>
/// `accept bench memory`: a worker silo's memory with N task grains on one shared backbone, for several N;
/// prints one JSON object. libtorch keeps memory it has freed, so each N is measured in a fresh child process
/// (this same `accept`, with the hidden --in-this-process flag).
/// </summary>
internal static class BenchMemoryCommand
{
    private const string InThisProcessFlag = "--in-this-process";

    public static Command Create()
    {
        var tasks = CountListOption.Create("--tasks", "Task counts, each measured in its own process", 1, 10_000, 1, 8);
        var steps = new Option<int>("--steps") { Description = "Steps every task takes before the measurement", DefaultValueFactory = _ => 3 };
        var backbone = new Option<DirectoryInfo?>("--backbone") { Description = "Backbone directory (default: a random t5-small-shaped T5, written once to the temp folder)" };
        var inThisProcess = new Option<bool>(InThisProcessFlag) { Hidden = true };
        var command = new Command("memory", "Worker silo memory with N task grains sharing one backbone (one process per N)") { tasks, steps, backbone, inThisProcess };
        command.SetAction(async (parse, cancel) =>
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            var counts = parse.GetValue(tasks)!;
            var stepCount = parse.GetValue(steps);
            if (stepCount < 1)
            {
                Console.Error.WriteLine($"error: --steps must be at least 1, got {stepCount}");
                return 2;
            }
            var given = parse.GetValue(backbone);
            if (given is not null && !File.Exists(Path.Combine(given.FullName, "config.json")))
            {
                Console.Error.WriteLine($"error: --backbone {given.FullName}: no config.json there (expected a T5 backbone directory)");
                return 2;
            }
            if (parse.GetValue(inThisProcess))
            {
                if (given is null || counts.Count != 1)
                {
                    Console.Error.WriteLine($"error: {InThisProcessFlag} needs --backbone and exactly one --tasks count");
                    return 2;
                }
                return await MeasureHere(given.FullName, counts[0], stepCount, cancel);
            }
            var directory = given?.FullName ?? MemoryBenchBackbone.Ensure(m => console.MarkupLineInterpolated($"[grey]{m}[/]"));
            var runs = new List<SiloMemoryReport>();
            foreach (var count in counts)
            {
                console.MarkupLineInterpolated($"[bold]measuring {count} task(s)[/] × {stepCount} step(s) in a fresh process");
                var (code, output) = await RunChild(directory, count, stepCount, cancel);
                if (code != 0)
                {
                    Console.Error.WriteLine($"error: the measurement with {count} task(s) exited with code {code}");
                    return 1;
                }
                var report = JsonSerializer.Deserialize<SiloMemoryReport>(output.Trim())
                    ?? throw new InvalidDataException($"the measurement with {count} task(s) printed no report");
                console.MarkupLineInterpolated($"  working set {report.WorkingSetMb} MiB, managed {report.ManagedHeapMb} MiB, backbone loads {report.BackboneLoads}");
                runs.Add(report);
            }
            Console.WriteLine(ToJson(directory, runs).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        });
        return command;
    }

    private static async Task<int> MeasureHere(string backbone, int tasks, int steps, CancellationToken cancel)
    {
        var work = Directory.CreateTempSubdirectory("accept-bench-memory-");
        try
        {
            var spec = MemoryBenchSpec.Write(work.FullName, backbone, tasks);
            var checkpoints = Path.Combine(work.FullName, "checkpoints");
            Directory.CreateDirectory(checkpoints);
            var report = await SiloMemoryBenchmark.RunAsync(spec, checkpoints, steps, cancel);
            Console.WriteLine(JsonSerializer.Serialize(report));
            return 0;
        }
        finally
        {
            try
            {
                work.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A stopping silo may still hold a file; the temp folder is left behind.
            }
        }
    }

    /// <summary>Runs this same `accept` for one measurement; its stderr (progress) passes through, its stdout is the report.</summary>
    private static async Task<(int Code, string Output)> RunChild(string backbone, int tasks, int steps, CancellationToken cancel)
    {
        var (code, output, _) = await AcceptSelf.RunAsync(["bench", "memory", "--tasks", tasks.ToString(CultureInfo.InvariantCulture), "--steps", steps.ToString(CultureInfo.InvariantCulture),
            "--backbone", backbone, InThisProcessFlag], null, cancel);
        return (code, output);
    }

    private static JsonObject ToJson(string backbone, List<SiloMemoryReport> runs)
    {
        var array = new JsonArray();
        foreach (var r in runs)
        {
            array.Add(new JsonObject
            {
                ["tasks"] = r.Tasks, ["sessions"] = r.Sessions, ["backbone_loads"] = r.BackboneLoads, ["steps_per_task"] = r.StepsPerTask,
                ["baseline_working_set_mb"] = r.BaselineWorkingSetMb, ["working_set_mb"] = r.WorkingSetMb, ["managed_heap_mb"] = r.ManagedHeapMb,
                ["native_mb"] = r.NativeEstimateMb, ["working_set_growth_mb"] = r.WorkingSetGrowthMb,
            });
        }
        var fewest = runs.MinBy(r => r.Tasks)!;
        var most = runs.MaxBy(r => r.Tasks)!;
        return new JsonObject
        {
            ["backbone"] = backbone,
            ["backbone_parameters"] = fewest.BackboneParameters,
            ["runs"] = array,
            // The working-set slope between the fewest and the most tasks: what each further task grain costs.
            ["extra_mb_per_task"] = most.Tasks > fewest.Tasks ? Math.Round((most.WorkingSetMb - fewest.WorkingSetMb) / (most.Tasks - fewest.Tasks), 1) : null,
        };
    }
}
