using System.CommandLine;
using Accept.Client.Options;
using Accept.Client.Cluster;
using Accept.Training.Config;
using Spectre.Console;

namespace Accept.Client.Commands;

/// <summary>
/// `accept demo`, the README's main command: the demo tasks (spam vs ham, word → phonemes, State-of-the-Union
/// paragraph → party) trained concurrently on an embedded two-silo cluster with one shared codebook group
/// (examples/demo.json), a live table while they train, a results table and the run directory as the last line.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var backbone = new Option<DirectoryInfo?>("--backbone") { Description = "A pretrained T5 in Hugging Face layout (config.json, model.safetensors, spiece.model) instead of the untrained demo backbone" };
        var runsDir = new Option<DirectoryInfo>("--runs-dir") { Description = "where run directories are created", DefaultValueFactory = _ => new DirectoryInfo("runs") }.WritableDirectory();
        var cacheRoot = new Option<DirectoryInfo>("--cache-root")
        {
            Description = "cache of the demo data sets (npm-datasets/) and of the untrained demo backbone (demo-backbone/)",
            DefaultValueFactory = _ => new DirectoryInfo(".cache"),
        }.WritableDirectory();
        var silos = new Option<int>("--silos") { Description = "Worker silos of the embedded cluster", DefaultValueFactory = _ => 2 }.InRange(1, 64);
        var command = new Command("demo", "Train the demo tasks together on a local two-silo Orleans cluster") { backbone, runsDir, cacheRoot, silos };
        var overrides = RunSpecOptions.AddTo(command);
        command.SetAction((parse, cancel) => ClusterErrors.ReportAsync(async () =>
        {
            var console = ClientConsole.Create();
            var spec = overrides.Apply(DemoSpec.Read(), parse);
            if (parse.GetValue(backbone) is { } directory)
            {
                spec = spec with { Backbone = directory.FullName };
            }
            var silosCount = parse.GetValue(silos);
            if (silosCount < 1)
            {
                throw new ArgumentException($"--silos {silosCount}: expected at least 1.");
            }
            console.Write(new Rule("[bold]ACCEPT demo[/]").LeftJustified());
            console.MarkupLine($"{spec.Tasks.Count} tasks ({Markup.Escape(string.Join(", ", spec.Tasks.Select(t => t.Name)))}) train at once as task grains on {silosCount} worker silos; "
                + $"they share the codebook group{(spec.CodebookGroups.Count == 1 ? "" : "s")} {Markup.Escape(string.Join(", ", spec.CodebookGroups.Keys))}, "
                + $"whose codebook grain averages their gradients ({spec.Aggregation.Mode.ToString().ToLowerInvariant()} mode) — {spec.Optimization.Steps} steps each.");
            spec = ClusterSpecPreparation.Prepare(spec, parse.GetValue(cacheRoot)!.FullName, console);
            var request = new ClusterTrainingRequest(spec, "demo", parse.GetValue(runsDir)!.FullName, Target: null, silosCount);
            var outcome = await ClusterTraining.RunAsync(request, console, cancel);
            if (parse.GetValue(backbone) is null)
            {
                console.MarkupLine("[grey]The backbone was untrained, so metrics near the majority baseline are expected. For real results: "
                    + "accept demo --backbone DIR (a pretrained T5 such as t5-base in Hugging Face layout), or accept train --spec FILE with such a backbone and the paper's tasks (docs/run-spec.md).[/]");
            }
            Console.WriteLine(outcome.RunDirectory);
            return outcome.ExitCode;
        }));
        return command;
    }
}
