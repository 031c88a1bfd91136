namespace Accept.Training.Sweeps;

/// <summary>One recorded step of one task of a trial: its training loss, and its validation metric where it evaluated.</summary>
public sealed record ObjectivePoint(long Step, double Loss, double? Metric);

/// <summary>
/// A trial's objective at a step, from its tasks' points at or before that step only, so the value does not
/// depend on when it is computed: <c>loss</c> is the mean over tasks of the mean training loss of the (up to) 10
/// steps ending at the step; <c>metric</c> the mean over tasks of each one's latest metric; <c>task:X</c> X's latest metric.
/// </summary>
public static class SweepObjective
{
    public const int LossWindow = 10;

    /// <summary>The objective at <paramref name="step"/>; null when a task has no value for it yet.</summary>
    public static double? At(ObjectiveSpec objective, IReadOnlyDictionary<string, IReadOnlyList<ObjectivePoint>> tasks, long step)
    {
        if (tasks.Count == 0) return null;
        var values = new List<double>();
        foreach (var (task, points) in tasks.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            if (objective.Kind == ObjectiveKind.Task && task != objective.Task) continue;
            var upTo = points.Where(p => p.Step <= step).OrderBy(p => p.Step).ToList();
            double? value = objective.Kind == ObjectiveKind.Loss
                ? upTo.Where(p => double.IsFinite(p.Loss)).TakeLast(LossWindow).Select(p => p.Loss).DefaultIfEmpty(double.NaN).Average()
                : upTo.LastOrDefault(p => p.Metric is not null)?.Metric;
            if (value is not { } v || !double.IsFinite(v)) return null;
            values.Add(v);
        }
        return values.Count == 0 ? null : values.Average();
    }
}
