using ScottPlot;

namespace Accept.Training.Reporting;

/// <summary>One task's curves: training loss per step, validation metric per evaluated step, its majority baseline.</summary>
public sealed record TaskCurves(string Task, string? MetricName, IReadOnlyList<(long Step, double Loss)> Loss,
    IReadOnlyList<(long Step, double Metric)> Metric, double? MajorityBaseline);

/// <summary>
/// A run's <c>curves.png</c> (ScottPlot): two panels stacked, training loss against step and validation metric
/// against step, one colour per task in both panels, each task's majority baseline dashed in its colour.
/// </summary>
public static class RunPlot
{
    public const int Width = 900, PanelHeight = 360;

    public static void SavePng(string path, IReadOnlyList<TaskCurves> tasks)
    {
        var multiplot = new ScottPlot.Multiplot();
        multiplot.AddPlots(2);
        var (loss, metric) = (multiplot.GetPlot(0), multiplot.GetPlot(1));
        var palette = new ScottPlot.Palettes.Category10();
        for (var i = 0; i < tasks.Count; i++)
        {
            var task = tasks[i];
            var colour = palette.GetColor(i);
            Line(loss, task.Loss.Where(p => double.IsFinite(p.Loss)).Select(p => ((double)p.Step, p.Loss)).ToList(), task.Task, colour);
            Line(metric, task.Metric.Where(p => double.IsFinite(p.Metric)).Select(p => ((double)p.Step, p.Metric)).ToList(),
                task.MetricName is null ? task.Task : $"{task.Task} {task.MetricName}", colour);
            if (task.MajorityBaseline is { } baseline && double.IsFinite(baseline))
            {
                var line = metric.Add.HorizontalLine(baseline, 1.5f, colour, ScottPlot.LinePattern.Dashed);
                line.LegendText = $"{task.Task} majority baseline";
            }
        }
        loss.Title("training loss");
        loss.XLabel("step");
        loss.YLabel("loss");
        metric.Title("validation metric (dashed: majority baseline)");
        metric.XLabel("step");
        metric.YLabel("metric");
        loss.ShowLegend(ScottPlot.Edge.Right);
        metric.ShowLegend(ScottPlot.Edge.Right);
        // Written beside the target, then renamed over it: a reader never sees half a PNG.
        var tmp = path + ".tmp.png";
        multiplot.SavePng(tmp, Width, PanelHeight * 2);
        File.Move(tmp, path, overwrite: true);
    }

    private static void Line(ScottPlot.Plot plot, IReadOnlyList<(double X, double Y)> points, string name, ScottPlot.Color colour)
    {
        if (points.Count == 0) return;
        var scatter = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray(), colour);
        scatter.LegendText = name;
        scatter.MarkerSize = points.Count == 1 ? 6 : 0;
        scatter.LineWidth = 2;
    }
}
