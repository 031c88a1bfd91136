using System.CommandLine;
using Accept.Client.Errors;
using Accept.Client.Options;
using Accept.Training.Checkpointing;
using Accept.Training.Checkpointing.Store;
using Accept.Training.Config;
using Accept.Training.Export;
using Accept.Training.IO;
using Spectre.Console;

namespace Accept.Client.Commands;

/// <summary>
/// `accept export --run RUNDIR --out DIR [--which best|last] [--task NAME] [--force]`: P and ΔE per task as safetensors, and P
/// as a PEFT prompt-tuning adapter, from any run directory (in-process, embedded or Redis cluster; directory or Blob checkpoints).
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var run = new Option<DirectoryInfo>("--run") { Description = "run directory (as printed by accept train)", Required = true };
        var task = new Option<string?>("--task") { Description = "export only this task (default: every task)" };
        var output = new Option<DirectoryInfo>("--out") { Description = "output directory (one folder per task)", Required = true }.WritableDirectory();
        var which = new Option<string>("--which") { Description = "best: each task at its best validation metric; last: its newest checkpoint", DefaultValueFactory = _ => "best" };
        which.AcceptOnlyFromAmong("best", "last");
        var force = new Option<bool>("--force") { Description = "overwrite files already in --out" };
        var command = new Command("export", "Materialise trained prompts for inference (safetensors and a Hugging Face PEFT adapter)") { run, task, output, which, force };
        command.SetAction(parse =>
        {
            try
            {
                var choice = parse.GetValue(which) == "last" ? CheckpointChoice.Last : CheckpointChoice.Best;
                var exported = PromptExporter.Export(parse.GetValue(run)!.FullName, parse.GetValue(output)!.FullName, parse.GetValue(task), choice, parse.GetValue(force));
                foreach (var note in exported.SelectMany(e => e.Notes)) Console.Error.WriteLine($"warning: {note}");
                var table = new Table().Title("exported prompts").AddColumn("task").AddColumn("checkpoint").AddColumn("P").AddColumn("ΔE").AddColumn("folder");
                foreach (var e in exported)
                    table.AddRow(Markup.Escape(e.Task), $"{(e.FromBest ? "best" : "last")} (step {e.Step})", $"({string.Join(", ", e.PromptShape)})",
                        e.AddedShape is { } a ? $"({string.Join(", ", a)})" : "none", Markup.Escape(e.Directory));
                AnsiConsole.Write(table);
                foreach (var e in exported.Where(e => e.AddedShape is not null))
                    Console.Error.WriteLine($"warning: {Path.Combine(e.Directory, PromptExporter.PeftFolder)} holds P only and is not the trained model of task '{e.Task}': " +
                        $"its added prompt ΔE is {PromptExporter.AddedName} in {Path.Combine(e.Directory, PromptExporter.PromptsFile)}");
                Console.WriteLine(parse.GetValue(output)!.FullName);
                return 0;
            }
            catch (Exception e) when (e is SpecException or CheckpointException or CheckpointCorruptException or InvalidDataException or IOException or ArgumentException)
            {
                return CliErrors.Report(e, Console.Error);
            }
        });
        return command;
    }
}
