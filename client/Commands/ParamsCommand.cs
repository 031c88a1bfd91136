using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Accept.Training.Config;
using Accept.Training.Prompts;
using Spectre.Console;

namespace Accept.Client.Commands;

/// <summary>`accept params`: trainable parameters per task by part (the paper's Table 1 count), and per run for a spec.</summary>
internal static class ParamsCommand
{
    public static Command Create()
    {
        var command = new Command("params", "Trainable parameters of the ACCEPT configuration, by part and in total");
        var spec = new Option<FileInfo?>("--spec") { Description = "JSON run spec (docs/run-spec.md)" };
        var model = new Option<DirectoryInfo?>("--model") { Description = "HF model directory (only config.json's d_model is read)" };
        var dModel = new Option<int?>("--d-model") { Description = "model width d, instead of reading a model (T5-base: 768)" };
        var json = new Option<bool>("--json") { Description = "print one JSON object (with a `total` field) instead of a table" };
        command.Options.Add(spec);
        command.Options.Add(model);
        command.Options.Add(dModel);
        command.Options.Add(json);
        var overrides = RunSpecOptions.AddTo(command);

        command.SetAction(parse =>
        {
            {
                var run = parse.GetValue(spec) is { } file ? RunSpecReader.Read(file.FullName) : RunSpec.Empty;
                run = overrides.Apply(run, parse);
                int d = parse.GetValue(dModel) ?? ReadDModel(parse.GetValue(model)?.FullName ?? run.Backbone
                    ?? throw new SpecException("give --d-model N, --model DIR, or a spec with a backbone"));
                var budget = run.Method.ToLayout(d).Budget();
                if (parse.GetValue(json)) Console.WriteLine(ToJson(d, budget, run).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                else Print(d, budget, run);
                return 0;
            }
        });
        return command;
    }

    /// <summary>d_model from an HF config.json, without loading weights.</summary>
    internal static int ReadDModel(string modelDir)
    {
        var path = Path.Combine(modelDir, "config.json");
        if (!File.Exists(path)) throw new SpecException($"{path}: not found (is {modelDir} an HF model directory?)");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            if (doc.RootElement.TryGetProperty("d_model", out var d) && d.TryGetInt32(out var v) && v > 0) return v;
            throw new SpecException($"{path}: d_model missing or not a positive integer");
        }
        catch (JsonException e)
        {
            throw new SpecException($"{path}: invalid JSON: {e.Message}");
        }
    }

    /// <summary>Codebooks count once per group, weights once per task.</summary>
    private static long RunTotal(ParameterBudget budget, RunSpec run)
    {
        long codebooks = budget.Parts.Where(p => p.Name.EndsWith("codebook", StringComparison.Ordinal)).Sum(p => p.Count);
        try
        {
            return checked(run.Tasks.Count * (budget.Total - codebooks) + run.CodebookGroups.Count * codebooks);
        }
        catch (OverflowException)
        {
            throw new SpecException($"the run's parameter count ({run.Tasks.Count} tasks × {budget.Total - codebooks:N0} + {run.CodebookGroups.Count} groups × {codebooks:N0}) overflows a 64-bit integer");
        }
    }

    private static JsonObject ToJson(int d, ParameterBudget budget, RunSpec run)
    {
        var parts = new JsonObject();
        foreach (var p in budget.Parts) parts[p.Name] = p.Count;
        var o = new JsonObject
        {
            ["d_model"] = d,
            ["parts"] = parts,
            ["prepended"] = budget.Prepended,
            ["added"] = budget.AddedTotal,
            ["total"] = budget.Total,
            ["prepended_budget"] = budget.PrependedLimit,
            ["added_budget"] = budget.AddedLimit,
            ["warnings"] = new JsonArray(budget.Warnings().Select(w => (JsonNode)w!).ToArray()),
        };
        if (run.Tasks.Count > 0)
        {
            o["tasks"] = run.Tasks.Count;
            o["codebook_groups"] = run.CodebookGroups.Count;
            o["run_total"] = RunTotal(budget, run);
        }
        return o;
    }

    private static void Print(int d, ParameterBudget budget, RunSpec run)
    {
        var table = new Table().Title($"Trainable parameters per task (d = {d})")
            .AddColumn("Part").AddColumn("Side").AddColumn("Shape").AddColumn(new TableColumn("Parameters").RightAligned());
        foreach (var p in budget.Parts) table.AddRow(p.Name, p.Side, p.Shape, p.Count.ToString("N0"));
        table.AddRow("[bold]prepended side[/]", "", $"budget 60·d = {budget.PrependedLimit:N0}", budget.Prepended.ToString("N0"));
        table.AddRow("[bold]added side[/]", "", $"budget 40·d = {budget.AddedLimit:N0}", budget.AddedTotal.ToString("N0"));
        table.AddRow("[bold]total[/]", "", "", $"[bold]{budget.Total:N0}[/]");
        AnsiConsole.Write(table);
        foreach (var w in budget.Warnings()) AnsiConsole.MarkupLineInterpolated($"[yellow]warning:[/] {w}");
        if (run.Tasks.Count > 0)
            AnsiConsole.MarkupLineInterpolated(
                $"run: {run.Tasks.Count} task(s), {run.CodebookGroups.Count} codebook group(s) → {RunTotal(budget, run):N0} trainable parameters in all");
    }
}
