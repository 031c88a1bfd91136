using Accept.GrainInterfaces.Sweeps;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Accept.Client.Cluster;

/// <summary>A sweep's trials as a table (trial, state, rung, step, objective, parameters, silo), and the results sorted by objective.</summary>
public static class SweepTable
{
    public static IRenderable Build(SweepStatus status, bool sortedByObjective = false)
    {
        var table = new Table().Title($"sweep {Markup.Escape(status.SweepId)}: {status.Phase}")
            .AddColumn("trial").AddColumn("state").AddColumn(new TableColumn("rung").RightAligned()).AddColumn(new TableColumn("step").RightAligned())
            .AddColumn(new TableColumn($"{Markup.Escape(status.Objective)} ({status.Mode})").RightAligned()).AddColumn("parameters").AddColumn("silo");
        foreach (var t in Order(status, sortedByObjective))
        {
            var name = status.BestTrial == t.Id ? $"[bold]{t.Name}[/] *" : t.Name;
            table.AddRow(name, Markup.Escape(t.State), t.Rung?.ToString() ?? "–", $"{t.Step}/{t.MaxSteps}",
                t.Objective is { } v && double.IsFinite(v) ? v.ToString("F4") : "–",
                Markup.Escape(string.Join(" ", t.Params.Select(p => $"{Short(p.Key)}={p.Value}"))), Markup.Escape(t.Silo ?? ""));
        }
        table.Caption("* best trial so far" + (status.Trials.Any(t => t.Reason is not null) ? "; reasons in summary.json" : ""));
        return table;
    }

    public static IEnumerable<string> Lines(SweepStatus status) => Order(status, false).Select(t =>
        $"{t.Name} {t.State} step {t.Step}/{t.MaxSteps} rung {t.Rung?.ToString() ?? "-"} {status.Objective} {(t.Objective is { } v ? v.ToString("F4") : "-")} "
        + string.Join(" ", t.Params.Select(p => $"{Short(p.Key)}={p.Value}")) + (t.Silo is null ? "" : $" on {t.Silo}"));

    private static IEnumerable<TrialStatus> Order(SweepStatus status, bool byObjective) => !byObjective ? status.Trials
        : status.Trials.OrderBy(t => t.Objective is { } v && double.IsFinite(v) ? 0 : 1)
            .ThenBy(t => t.Objective is { } v ? (status.Mode == "min" ? v : -v) : 0);

    /// <summary>The last segment of a dotted path: "optimization.learning_rate" → "learning_rate".</summary>
    private static string Short(string path) => path[(path.LastIndexOf('.') + 1)..];
}
