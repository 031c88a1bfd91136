using Accept.Training.Runs;

namespace Accept.Training.Sweeps;

/// <summary>
/// The sweep's plots (ScottPlot): <c>objective.png</c>, the objective against step for every trial (from its
/// metrics.jsonl) with stopped trials' last points marked; <c>parameter-&lt;path&gt;.png</c>, each numeric parameter against
/// the trials' final objective.
/// </summary>
public static class SweepPlots
{
    public static void Write(SweepDirectory sweep, SweepState state, SweepSpec spec)
    {
        WriteObjective(sweep, state, spec);
        WriteParameters(sweep, state, spec);
    }

    private static void WriteObjective(SweepDirectory sweep, SweepState state, SweepSpec spec)
    {
        var plot = new ScottPlot.Plot();
        foreach (var trial in state.Trials)
        {
            var curve = Curve(sweep, trial, spec.Objective);
            if (curve.Count == 0) continue;
            var line = plot.Add.Scatter(curve.Select(p => (double)p.Step).ToArray(), curve.Select(p => p.Value).ToArray());
            line.LegendText = trial.Name;
            line.MarkerSize = 0;
            if (trial.State == TrialState.Stopped)
            {
                var stop = plot.Add.Marker(curve[^1].Step, curve[^1].Value, ScottPlot.MarkerShape.Cross, 12);
                stop.Color = line.Color;
            }
        }
        plot.Title($"{spec.Objective.Name} ({spec.Objective.Mode.ToString().ToLowerInvariant()}) per trial; × = stopped");
        plot.XLabel("step");
        plot.YLabel(spec.Objective.Name);
        plot.ShowLegend(ScottPlot.Edge.Right);
        Save(plot, sweep.ObjectivePlotPath, 900, 500);
    }

    private static void WriteParameters(SweepDirectory sweep, SweepState state, SweepSpec spec)
    {
        var numeric = spec.Parameters.Where(p => state.Trials.All(t => double.TryParse(t.Params[p.Path], System.Globalization.NumberStyles.Float,
            System.Globalization.CultureInfo.InvariantCulture, out _))).ToList();
        var done = state.Trials.Where(t => t.Objective is { } v && double.IsFinite(v)).ToList();
        foreach (var p in numeric)
        {
            var plot = new ScottPlot.Plot();
            var xs = done.Select(t => double.Parse(t.Params[p.Path], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var points = plot.Add.ScatterPoints(xs, done.Select(t => t.Objective!.Value).ToArray());
            points.MarkerSize = 8;
            plot.Title($"{p.Path} against the final {spec.Objective.Name}");
            plot.XLabel(p.Path);
            plot.YLabel($"final {spec.Objective.Name}");
            Save(plot, sweep.ParameterPlotPath(p.Path), 600, 400);
        }
    }

    /// <summary>The objective at each recorded step of the trial (at most ~100 points), from its metrics.jsonl.</summary>
    public static List<Milestone> Curve(SweepDirectory sweep, TrialRecord trial, ObjectiveSpec objective)
    {
        var file = Path.Combine(sweep.TrialDirectory(trial), "metrics.jsonl");
        if (!File.Exists(file)) return [.. trial.Milestones];
        var records = RunDirectory.ReadMetrics(file);
        var tasks = records.GroupBy(r => r.Task).ToDictionary(g => g.Key,
            g => (IReadOnlyList<ObjectivePoint>)g.GroupBy(r => r.Step).Select(s => new ObjectivePoint(s.Key,
                s.FirstOrDefault(r => r.Loss is not null)?.Loss ?? double.NaN, s.FirstOrDefault(r => r.Metric is not null)?.Metric)).ToList());
        var steps = records.Select(r => r.Step).Distinct().Order().ToList();
        var stride = Math.Max(1, steps.Count / 100);
        var curve = new List<Milestone>();
        for (var i = 0; i < steps.Count; i++)
        {
            if (i % stride != 0 && i != steps.Count - 1) continue;
            if (SweepObjective.At(objective, tasks, steps[i]) is { } v) curve.Add(new Milestone(steps[i], v));
        }
        return curve;
    }

    private static void Save(ScottPlot.Plot plot, string path, int width, int height)
    {
        var tmp = path + ".tmp.png";
        plot.SavePng(tmp, width, height);
        File.Move(tmp, path, overwrite: true);
    }
}
