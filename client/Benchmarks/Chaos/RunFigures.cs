namespace Accept.Client.Benchmarks.Chaos;

/// <summary>
/// What one chaos run measured, derived from the push journal (docs/reliability.md defines each figure).
/// </summary>
/// <param name="Finished">The job completed with every task at the spec's last step.</param>
/// <param name="StepsRedone">Over tasks, the most steps a task pushed again with another base version (trained twice).</param>
/// <param name="DoubleApplied">(task, step) pairs the group accepted more than once.</param>
/// <param name="Monotonic">Per task, the codebook versions its pushes were computed against never went down.</param>
/// <param name="CorruptCheckpoints">Committed checkpoints of the job that failed verification after the run.</param>
/// <param name="RecoverySeconds">The longest stall of a task that ended after the fault; null when a task never advanced again.</param>
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
        var monotonic = byTask.All(t => NonDecreasing(t.Select(p => p.BaseVersion)));
        return (redone, doubleApplied, monotonic, Recovery(byTask, faultTime, lastStep));
    }

    /// <summary>
    /// Over tasks, the longest wait between two consecutive new steps (an accepted push of a step higher than
    /// any the task had accepted) whose second one came after the fault; null when a task never advanced after it
    /// although it had not reached the last step.
    /// </summary>
    private static double? Recovery(IEnumerable<IGrouping<(string Group, string Task), PushEvent>> byTask, DateTime faultTime, long lastStep)
    {
        var seconds = 0.0;
        foreach (var task in byTask)
        {
            var highest = 0L;
            DateTime? previous = null;
            var advancedAfterFault = false;
            foreach (var push in task.Where(p => p.Accepted))
            {
                if (push.Step <= highest) continue;
                if (push.Time >= faultTime)
                {
                    seconds = Math.Max(seconds, (push.Time - (previous ?? faultTime)).TotalSeconds);
                    advancedAfterFault = true;
                }
                highest = push.Step;
                previous = push.Time;
            }
            if (!advancedAfterFault && highest < lastStep && faultTime != DateTime.MaxValue) return null;
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
