using System.CommandLine;
using Accept.Client.Options;
using Accept.Training.Config;
using Accept.Training.Export;
using Accept.Training.IO;
using Spectre.Console;

namespace Accept.Client.Commands;

/// <summary>`accept export --run RUNDIR [--task NAME] --out DIR`: P and ΔE per task as safetensors, and P as a PEFT prompt-tuning adapter.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var run = new Option<DirectoryInfo>("--run") { Description = "run directory (as printed by accept train)", Required = true };
        var task = new Option<string?>("--task") { Description = "export only this task (default: every task)" };
        var output = new Option<DirectoryInfo>("--out") { Description = "output directory (one folder per task)", Required = true }.WritableDirectory();
        var command = new Command("export", "Materialise trained prompts for inference (safetensors and a Hugging Face PEFT adapter)") { run, task, output };
        command.SetAction(parse =>
        {
            {
                var exported = PromptExporter.Export(parse.GetValue(run)!.FullName, parse.GetValue(output)!.FullName, parse.GetValue(task));
                var table = new Table().Title("exported prompts").AddColumn("task").AddColumn("checkpoint").AddColumn("P").AddColumn("ΔE").AddColumn("folder");
                foreach (var e in exported)
                    table.AddRow(Markup.Escape(e.Task), $"{(e.FromBest ? "best" : "latest")} (step {e.Step})", $"({string.Join(", ", e.PromptShape)})",
                        e.AddedShape is { } a ? $"({string.Join(", ", a)})" : "none", Markup.Escape(e.Directory));
                AnsiConsole.Write(table);
                if (exported.Any(e => e.AddedShape is not null))
                    AnsiConsole.MarkupLine("[grey]peft/ holds P only: PEFT's prompt tuning has no added prompt; ΔE is in prompts.safetensors (added_prompt).[/]");
                Console.WriteLine(parse.GetValue(output)!.FullName);
                return 0;
            }
        });
        return command;
    }
}
