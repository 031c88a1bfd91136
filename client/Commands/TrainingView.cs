using System.Diagnostics;
using Accept.Training.MultiTask;
using Spectre.Console;

namespace Accept.Client.Commands;

/// <summary>
/// Live progress of an in-process run: a table (task, step, loss, metric, best, steps/s, codebook version)
/// redrawn a few times a second on a terminal; on redirected output, one line per evaluation and checkpoint.
/// </summary>
internal sealed class TrainingView : ITrainingProgress
{
    private readonly Dictionary<string, TaskProgress> _latest = new();
    private readonly IReadOnlyList<string> _tasks;
    private readonly Stopwatch _sinceRedraw = Stopwatch.StartNew();
    private LiveDisplayContext? _live;

    public TrainingView(IReadOnlyList<string> tasks) => _tasks = tasks;

    public static bool Interactive => AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;

    /// <summary>Runs <paramref name="train"/> under a live table when the console is interactive.</summary>
    public T Show<T>(Func<T> train)
    {
        if (!Interactive) return train();
        T result = default!;
        AnsiConsole.Live(Render()).AutoClear(false).Start(ctx =>
        {
            _live = ctx;
            result = train();
            ctx.UpdateTarget(Render());
            ctx.Refresh();
        });
        _live = null;
        return result;
    }

    public void TaskStepped(TaskProgress progress)
    {
        _latest[progress.Task] = progress;
        if (_live is not null && _sinceRedraw.ElapsedMilliseconds >= 250)
        {
            _live.UpdateTarget(Render());
            _sinceRedraw.Restart();
        }
    }

    public void Evaluated(EvalResult result)
    {
        if (_live is null)
            Console.WriteLine($"step {result.Step} {result.Task}: {MetricNames.Of(result.Metric)} {result.Value:F4}{(result.IsBest ? " (best)" : "")}"
                + (_latest.TryGetValue(result.Task, out var p) ? $", loss {p.Loss:F4}" : ""));
    }

    public void Checkpointed(long step, string folder)
    {
        if (_live is null) Console.WriteLine($"step {step}: checkpoint {folder}");
    }

    private Table Render()
    {
        var table = new Table().Title("training (in-process)")
            .AddColumn("task").AddColumn(new TableColumn("step").RightAligned()).AddColumn(new TableColumn("loss").RightAligned())
            .AddColumn(new TableColumn("lr").RightAligned()).AddColumn("metric").AddColumn(new TableColumn("last").RightAligned())
            .AddColumn(new TableColumn("best").RightAligned()).AddColumn(new TableColumn("steps/s").RightAligned())
            .AddColumn(new TableColumn("codebook v").RightAligned());
        foreach (var task in _tasks)
        {
            if (!_latest.TryGetValue(task, out var p))
            {
                table.AddRow(Markup.Escape(task), "0", "", "", "", "", "", "", "");
                continue;
            }
            table.AddRow(Markup.Escape(task), $"{p.Step}/{p.TotalSteps}", p.Skipped ? "[red]skipped[/]" : $"{p.Loss:F4}", $"{p.LearningRate:G3}",
                p.MetricName, Format(p.LastMetric), Format(p.BestMetric), $"{p.StepsPerSecond:F2}", p.CodebookVersion.ToString());
        }
        return table;
    }

    private static string Format(double? value) => value is { } v ? v.ToString("F4") : "–";
}
