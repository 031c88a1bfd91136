using Accept.Training.Checkpointing;
using System.CommandLine;
using Accept.Training.Config;
using Accept.Training.Devices;
using Accept.Training.Evaluation;
using Accept.Training.IO;
using Accept.Training.MultiTask;
using Accept.Training.Prediction;
using Accept.Training.T5;
using Spectre.Console;

namespace Accept.Client.Commands;

/// <summary>
/// `accept eval --run DIR [--split test|validation] [--which best|last] [--task NAME] [--json]`: the paper's
/// protocol on a run: every metric of each task on the split with its best (validation-selected) or last
/// state, and the benchmark averages; written to DIR/eval.json and shown as a table (or printed as JSON).
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var run = new Option<DirectoryInfo>("--run") { Description = "run directory (as printed by accept train)", Required = true };
        var split = new Option<string>("--split") { Description = "test or validation", DefaultValueFactory = _ => "test" };
        var which = new Option<string>("--which") { Description = "best (chosen on validation, the paper's protocol) or last", DefaultValueFactory = _ => "best" };
        var task = new Option<string?>("--task") { Description = "evaluate only this task (default: every task)" };
        var json = new Option<bool>("--json") { Description = "print eval.json's content instead of a table" };
        var batchSize = new Option<int?>("--batch-size") { Description = "inputs decoded at once (default: the run's batch_size)" };
        var device = new Option<string>("--device") { Description = DeviceSelection.Names, DefaultValueFactory = _ => "cpu" };
        var cacheRoot = new Option<DirectoryInfo>("--cache-root") { Description = "cache of the demo data sets (npm-datasets/)", DefaultValueFactory = _ => new DirectoryInfo(".cache") };
        var command = new Command("eval", "Score a run's tasks on the test (or validation) split, with every metric of each task and the benchmark averages")
        {
            run, split, which, task, json, batchSize, device, cacheRoot,
        };
        command.SetAction(parse =>
        {
            try
            {
                var directory = parse.GetValue(run)!.FullName;
                var request = new EvalRequest(TaskEvaluator.ParseSplit(parse.GetValue(split)!), CheckpointChoices.Parse(parse.GetValue(which)!),
                    parse.GetValue(task), parse.GetValue(batchSize));
                var resolved = DeviceSelection.Resolve(parse.GetValue(device)!, "--device");
                bool asJson = parse.GetValue(json);
                var spec = TrainedRun.ReadSpec(directory);
                if (request.Task is { } only)
                {
                    if (spec.Tasks.All(t => t.Name != only))
                        throw new ArgumentException($"--task: the run has no task '{only}' (tasks: {string.Join(", ", spec.Tasks.Select(t => t.Name))})");
                    spec = spec with { Tasks = [.. spec.Tasks.Where(t => t.Name == only)] };
                }
                var log = new SyncProgress(m => Console.Error.WriteLine(m));
                RunContext.PrepareDemoData(spec, DemoBackbone.DatasetCache(parse.GetValue(cacheRoot)!.FullName), log);
                var context = RunContext.Load(spec, DemoBackbone.DatasetCache(parse.GetValue(cacheRoot)!.FullName), log);
                using var backbone = T5Model.Load(context.BackboneDirectory, resolved);
                var bars = new Dictionary<string, DecodeProgressBar>();
                var result = RunEvaluator.Evaluate(directory, context, backbone, request, resolved,
                    (name, p) => (bars.TryGetValue(name, out var bar) ? bar : bars[name] = new DecodeProgressBar(name)).Report(p));
                foreach (var note in result.Tasks.SelectMany(t => t.Notes)) Console.Error.WriteLine($"warning: {note}");
                var path = result.WriteTo(directory);
                if (asJson)
                {
                    Console.WriteLine(result.ToJsonText());
                    return 0;
                }
                Show(result);
                Console.WriteLine(path);
                return 0;
            }
            catch (Exception e) when (e is SpecException or CheckpointException or InvalidDataException or IOException or ArgumentException or FormatException
                                          or InvalidOperationException or Training.Data.DataFormatException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static void Show(RunEvaluation result)
    {
        var table = new Table().Title($"{TaskEvaluator.Describe(result.Split)} metrics ({result.Which.Name()} checkpoints)")
            .AddColumn("task").AddColumn("checkpoint").AddColumn(new TableColumn("examples").RightAligned()).AddColumn("metrics");
        foreach (var t in result.Tasks)
            table.AddRow(Markup.Escape(t.Task), $"{t.Which.Name()} (step {t.Step})", t.Examples.ToString(),
                string.Join("  ", t.Metrics.Select(m => $"{m.Name} {m.Value:F4}")));
        foreach (var (benchmark, average) in result.Benchmarks)
            table.AddRow($"[bold]{benchmark} average[/]", "", "", $"{average:F4}");
        table.Caption("metrics are fractions; a benchmark average is the mean over its tasks of each task's first (the paper's) metric");
        AnsiConsole.Write(table);
        foreach (var skipped in result.Skipped)
            AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(skipped)}: no {TaskEvaluator.Describe(result.Split)} examples, not scored[/]");
    }
}
