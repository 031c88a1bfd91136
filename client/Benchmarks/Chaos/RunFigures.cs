namespace Accept.Client.Benchmarks.Chaos;

/// <summary>
/// What one chaos run measured, derived from the push journal (docs/reliability.md defines each figure).
/// </summary>
/// <param name="Finished">The job completed with every task at the spec's last step.</param>
/// <param name="StepsRedone">Over tasks, the most steps a task pushed again with another base version (trained twice).</param>
/// <param name="DoubleApplied">(task, step) pairs the group accepted more than once.</param>
/// <param name="Monotonic">Per task and per group, accepted pushes' versions (and per task their base versions) never went down.</param>
/// <param name="CorruptCheckpoints">Committed checkpoints of the job that failed verification after the run.</param>
/// <param name="RecoverySeconds">From the fault to the moment every unfinished task had a step past its pre-fault step accepted; null when some never did.</param>
/// <param name="FinalLossDifference">Largest |final loss − the uninterrupted run's| over tasks; null without a baseline or results.</param>
public sealed record RunFigures(
    int Run, bool Finished, string? Failure, long FaultStep, int StepsRedone, int DoubleApplied, bool Monotonic, int CorruptCheckpoints,
    double? RecoverySeconds, double? FinalLossDifference, int Pushes)
{
    public static (int StepsRedone, int DoubleApplied, bool Monotonic, double? RecoverySeconds) FromJournal(IReadOnlyList<PushEvent> pushes, DateTime faultTime, long lastStep)
    {
        var byTask = pushes.GroupBy(p => (p.Group, p.Task)).ToList();
        var redone = byTask.Select(t => t.GroupBy(p => p.Step).Count(s => s.Select(p => p.BaseVersion).Distinct().Count() > 1)).DefaultIfEmpty(0).Max();
        var doubleApplied = byTask.Sum(t => t.Where(p => p.Accepted).GroupBy(p => p.Step).Count(s => s.Count() > 1));
        var monotonic = byTask.All(t => NonDecreasing(t.Where(p => p.Accepted).Select(p => p.Version))
                                        && NonDecreasing(t.Where(p => p.Accepted).Select(p => p.BaseVersion)))
                        && pushes.Where(p => p.Accepted).GroupBy(p => p.Group).All(g => NonDecreasing(g.Select(p => p.Version)));
        return (redone, doubleApplied, monotonic, Recovery(byTask, faultTime, lastStep));
    }

    private static double? Recovery(IEnumerable<IGrouping<(string Group, string Task), PushEvent>> byTask, DateTime faultTime, long lastStep)
    {
        var seconds = 0.0;
        foreach (var task in byTask)
        {
            var before = task.Where(p => p.Time < faultTime && p.Accepted).Select(p => p.Step).DefaultIfEmpty(0).Max();
            if (before >= lastStep) continue;
            var after = task.FirstOrDefault(p => p.Time >= faultTime && p.Accepted && p.Step > before);
            if (after is null) return null;
            seconds = Math.Max(seconds, (after.Time - faultTime).TotalSeconds);
        }
        return seconds;
    }

    private static bool NonDecreasing(IEnumerable<long> values)
    {
        var last = long.MinValue;
        foreach (var value in values)
        {
            if (value < last) return false;
            last = value;
        }
        return true;
    }
}
