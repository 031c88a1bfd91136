using System.Globalization;
using Accept.GrainInterfaces.Jobs;
using Accept.GrainInterfaces.Tasks;
using Spectre.Console;

namespace Accept.Client.Cluster;

/// <summary>The live view of a job: one row per task, then its codebook groups.</summary>
public static class JobStatusTable
{
    public static Table Build(JobStatus status)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"job [bold]{Markup.Escape(status.JobId)}[/] — {StateMarkup(status.State)}{Elapsed(status)}")
            .AddColumns("task", "silo", "state", "step", "loss", "metric", "steps/s", "codebook v");
        foreach (var column in table.Columns.Skip(3))
        {
            column.RightAligned();
        }
        foreach (var task in status.Tasks.OrderBy(t => t.TaskName, StringComparer.Ordinal))
        {
            table.AddRow(
                Markup.Escape(task.TaskName),
                Markup.Escape(task.Silo ?? "—"),
                TaskStateMarkup(task),
                // A task reports its total once it has loaded its data.
                task.TotalSteps > 0 ? $"{task.Step}/{task.TotalSteps}" : "loading",
                Number(task.Loss, "F4"),
                task.Metric is { } m ? $"{Markup.Escape(task.MetricName ?? "")} {m.ToString("F3", CultureInfo.InvariantCulture)}" : "—",
                task.StepsPerSecond.ToString("F2", CultureInfo.InvariantCulture),
                task.CodebookVersion.ToString(CultureInfo.InvariantCulture));
        }
        if (status.CodebookGroups.Count > 0)
        {
            table.Caption(string.Join("   ", status.CodebookGroups.Select(g =>
                $"group {Markup.Escape(g.Group)}: v{g.Version} {g.Mode}, {g.Members.Count} active tasks, pushes {g.AcceptedPushes} accepted / {g.RejectedPushes} rejected")));
        }
        if (status.Error is { } error)
        {
            table.AddEmptyRow().AddRow($"[red]{Markup.Escape(error)}[/]");
        }
        return table;
    }

    /// <summary>One plain line per task, for output that is not a terminal (logs, CI, tests).</summary>
    public static IEnumerable<string> Lines(JobStatus status) => status.Tasks.OrderBy(t => t.TaskName, StringComparer.Ordinal).Select(t =>
        string.Create(CultureInfo.InvariantCulture,
            $"{t.TaskName}: {t.State.ToString().ToLowerInvariant()} step {(t.TotalSteps > 0 ? $"{t.Step}/{t.TotalSteps}" : "loading")} loss {Number(t.Loss, "F4")} {t.MetricName ?? "metric"} {Number(t.Metric, "F3")} {t.StepsPerSecond:F2} steps/s codebook v{t.CodebookVersion} on {t.Silo ?? "—"}"));

    private static string Elapsed(JobStatus status) => status.StartedUtc is { } start
        ? $", {((status.FinishedUtc ?? DateTimeOffset.UtcNow) - start).TotalSeconds.ToString("F0", CultureInfo.InvariantCulture)} s"
        : "";

    internal static string StateMarkup(JobState state) => state switch
    {
        JobState.Completed => "[green]completed[/]",
        JobState.Failed => "[red]failed[/]",
        JobState.Cancelled => "[yellow]cancelled[/]",
        _ => state.ToString().ToLowerInvariant(),
    };

    private static string TaskStateMarkup(TrainingTaskStatus task) => task.State switch
    {
        TaskState.Completed => "[green]completed[/]",
        TaskState.Failed => $"[red]failed[/]{(task.Error is null ? "" : ": " + Markup.Escape(task.Error))}",
        TaskState.Cancelled => "[yellow]cancelled[/]",
        _ => task.State.ToString().ToLowerInvariant()
            + (task.CheckpointBehind is null ? "" : " [yellow](checkpoint not saved: " + Markup.Escape(task.CheckpointBehind) + ")[/]"),
    };

    private static string Number(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "—";
}
