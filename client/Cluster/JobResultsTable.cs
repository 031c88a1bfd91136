using System.Globalization;
using Accept.GrainInterfaces.Jobs;
using Spectre.Console;

namespace Accept.Client.Cluster;

/// <summary>The table a finished job ends with: each task's best metric beside the majority-class baseline.</summary>
public static class JobResultsTable
{
    public static Table Build(JobResults results)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"results of job [bold]{Markup.Escape(results.JobId)}[/] — {JobStatusTable.StateMarkup(results.State)}")
            .AddColumns("task", "metric", "best", "majority baseline", "final loss", "steps");
        foreach (var column in table.Columns.Skip(2))
        {
            column.RightAligned();
        }
        foreach (var task in results.Tasks.OrderBy(t => t.TaskName, StringComparer.Ordinal))
        {
            var line = task.Summary;
            var beats = line?.BestMetric is { } best && line.MajorityBaseline is { } baseline && best > baseline;
            table.AddRow(
                Markup.Escape(task.TaskName),
                Markup.Escape(line?.MetricName ?? "—"),
                (beats ? "[green]" : "[default]") + Number(line?.BestMetric, "F3") + "[/]",
                Number(line?.MajorityBaseline, "F3"),
                Number(line?.FinalLoss, "F4"),
                (line?.Steps ?? 0).ToString(CultureInfo.InvariantCulture));
        }
        table.Caption(string.Create(CultureInfo.InvariantCulture, $"{results.WallSeconds:F1} s wall, {results.TokensPerSecond:F0} tokens/s"));
        return table;
    }

    private static string Number(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "—";
}
