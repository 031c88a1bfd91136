using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Accept.Client.Benchmarks.Sweeps;
using Accept.Client.Cluster;
using Accept.Training.Config;
using Accept.Training.Sweeps;
using Spectre.Console;

using Accept.Client.Options;

namespace Accept.Client.Commands;

/// <summary>
/// `accept bench sweep`: a sweep on the embedded cluster against the same trials one after another with
/// `accept train`, the steps ASHA saved, and one worker silo's memory with 1 and 8 trials at once; prints one
/// JSON object (<see cref="SweepBenchmark"/>).
/// </summary>
internal static class BenchSweepCommand
{
    public static Command Create()
    {
        var spec = new Option<FileInfo>("--spec") { Description = "Sweep spec (docs/sweeps.md)", DefaultValueFactory = _ => new FileInfo(Path.Combine("examples", "sweep-demo.json")) };
        var trials = new Option<int?>("--trials") { Description = "Trials of the random search (default: the spec's)" };
        var steps = new Option<int?>("--steps") { Description = "The scheduler's max_steps (ASHA grace steps and PBT interval scaled alike; default: the spec's)" };
        var concurrency = new Option<int?>("--concurrency") { Description = "max_concurrent_trials (default: the spec's)" };
        var silos = new Option<int>("--silos") { Description = "Silos of the embedded clusters (sweep and each train)", DefaultValueFactory = _ => 2 };
        var cacheRoot = new Option<DirectoryInfo>("--cache-root") { Description = "cache of the demo data sets and demo backbone", DefaultValueFactory = _ => new DirectoryInfo(".cache") };
        var memoryTrials = CountListOption.Create("--memory-trials", "Counts of concurrent trials on one worker silo, each measured in its own process", 1, 1000, 1, 8);
        var memorySteps = new Option<int>("--memory-steps") { Description = "Steps every trial takes before the memory is measured", DefaultValueFactory = _ => 2 };
        var workDir = new Option<DirectoryInfo?>("--work-dir") { Description = "Keep the sweep, the runs and the trimmed spec here (default: a temporary folder, deleted)" };
        var probe = new Option<bool>(SweepBenchmark.MemoryProbeFlag) { Hidden = true };
        var command = new Command("sweep", "A sweep on the embedded cluster vs the same trials one after another with `accept train`; ASHA's saved steps; silo memory by concurrent trials (JSON)")
        {
            spec, trials, steps, concurrency, silos, cacheRoot, memoryTrials, memorySteps, workDir, probe,
        };
        command.SetAction((parse, cancel) => ClusterErrors.ReportAsync(async () =>
        {
            var counts = parse.GetValue(memoryTrials)!;
            var memoryStepCount = AtLeast(parse.GetValue(memorySteps), 1, "--memory-steps");
            var siloCount = AtLeast(parse.GetValue(silos), 1, "--silos");
            var file = parse.GetValue(spec)!.FullName;
            if (!File.Exists(file)) throw new ArgumentException($"--spec {file}: no such file (expected a sweep spec, e.g. examples/sweep-demo.json)");
            var given = parse.GetValue(workDir);
            if (parse.GetValue(probe))
            {
                if (given is null || counts.Count != 1) throw new ArgumentException($"{SweepBenchmark.MemoryProbeFlag} needs --work-dir and exactly one --memory-trials count");
                var report = await SweepMemoryProbe.RunAsync(SweepSpecReader.Read(file), counts[0], memoryStepCount, given.FullName, cancel);
                Console.WriteLine(JsonSerializer.Serialize(report));
                return 0;
            }
            var trimmed = SweepBenchSpec.Trim(SweepSpecReader.Read(file), Positive(parse.GetValue(trials), "--trials"), Positive(parse.GetValue(steps), "--steps"),
                Positive(parse.GetValue(concurrency), "--concurrency"));
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            var cache = parse.GetValue(cacheRoot)!.FullName;
            var prepared = ClusterSpecPreparation.Prepare(RunSpecReader.Parse(trimmed.BaseRunSpecJson, "base"), cache, console);
            trimmed = trimmed with { BaseRunSpecJson = RunSpecWriter.ToJson(prepared) };
            var work = given ?? Directory.CreateTempSubdirectory("accept-bench-sweep-");
            try
            {
                Directory.CreateDirectory(work.FullName);
                var trimmedFile = Path.Combine(work.FullName, $"bench-{Path.GetFileNameWithoutExtension(file)}.json");
                await File.WriteAllTextAsync(trimmedFile, SweepSpecWriter.ToJson(trimmed), cancel);
                var options = new SweepBenchmark.Options(trimmedFile, work.FullName, cache, siloCount, counts, memoryStepCount);
                var result = await SweepBenchmark.RunAsync(options, m => console.MarkupLineInterpolated($"[grey]{m}[/]"), cancel);
                Console.WriteLine(result.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
                return 0;
            }
            finally
            {
                if (given is null) Delete(work);
            }
        }));
        return command;
    }

    private static void Delete(DirectoryInfo work)
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

    private static int? Positive(int? value, string flag) =>
        value is null or >= 1 ? value : throw new ArgumentException($"{flag} {value}: expected at least 1");

    private static int AtLeast(int value, int min, string flag) =>
        value >= min ? value : throw new ArgumentException($"{flag} {value}: expected at least {min}");
}
