namespace Accept.Client.Benchmarks.Chaos;

/// <summary>
/// What one chaos run measured, derived from the push journal (docs/reliability.md defines each figure).
/// </summary>
/// <param name="Finished">The job completed with every task at the spec's last step.</param>
/// <param name="StepsRedone">Over tasks, the most steps a task pushed again (trained twice), retries of one message aside.</param>
/// <param name="DoubleApplied">(task, step) pairs a group accepted twice into one history (its version never went back between them).</param>
/// <param name="Monotonic">Per task, the codebook versions its pushes were computed against never went down.</param>
/// <param name="CorruptCheckpoints">Committed checkpoints of the job that failed verification after the run.</param>
/// <param name="RecoverySeconds">The longest stall of a task that ended after the fault; null when a task never advanced again.</param>
/// <param name="FinalLossDifference">Largest |final loss − the uninterrupted run's| over tasks; null without a baseline or results.</param>
/// <param name="DeclaredDeadSeconds">worker-stop: seconds from the SIGSTOP until another silo saw the stopped one Dead; null when none did (or another fault).</param>
/// <param name="AppliedAfterDeclaredDead">worker-stop: pushes the stopped silo sent that a group accepted after it was declared dead; null for other faults.</param>
public sealed record RunFigures(
    int Run, bool Finished, string? Failure, long FaultStep, int StepsRedone, int DoubleApplied, bool Monotonic, int CorruptCheckpoints,
    double? RecoverySeconds, double? FinalLossDifference, int Pushes, double? DeclaredDeadSeconds = null, int? AppliedAfterDeclaredDead = null)
{
    /// <summary>
    /// For a silo stopped at <paramref name="stopTime"/>: when another silo first saw it Dead, and how many pushes
    /// it sent (the journal's <c>from</c>, that one silo process) a group accepted after that moment. A stopped
    /// then resumed silo must never apply a step once it was declared dead: the target is 0.
    /// </summary>
    public static (double? DeclaredDeadSeconds, int AppliedAfterDeclaredDead) AfterDeclaredDead(
        IReadOnlyList<PushEvent> pushes, IReadOnlyList<MembershipEvent> membership, string siloName, DateTime stopTime)
    {
        var death = membership.Where(m => m.Name == siloName && m.Observer != siloName && m.Dead && m.Time >= stopTime).MinBy(m => m.Time);
        if (death is null)
        {
            return (null, 0);
        }
        var applied = pushes.Count(p => p.Accepted && p.From == death.Silo && p.Time > death.Time);
        return ((death.Time - stopTime).TotalSeconds, applied);
    }

    public static (int StepsRedone, int DoubleApplied, bool Monotonic, double? RecoverySeconds) FromJournal(IReadOnlyList<PushEvent> pushes, DateTime faultTime, long lastStep)
    {
        var byTask = pushes.GroupBy(p => (p.Group, p.Task)).ToList();
        var redone = byTask.Select(t => RedoneSteps(t.ToList())).DefaultIfEmpty(0).Max();
        var doubleApplied = pushes.GroupBy(p => p.Group).Sum(g => CountDoubleApplied(g.Where(p => p.Accepted)));
        var monotonic = byTask.All(t => NonDecreasing(t.Select(p => p.BaseVersion)));
        return (redone, doubleApplied, monotonic, Recovery(byTask, faultTime, lastStep));
    }

    /// <summary>
    /// Steps a task pushed again: a push of a step no higher than one the task pushed before, unless it repeats
    /// the task's previous push exactly (same step and base version: a retry of one message, not a step trained again).
    /// </summary>
    private static int RedoneSteps(IReadOnlyList<PushEvent> task)
    {
        var steps = new HashSet<long>();
        var highest = long.MinValue;
        PushEvent? previous = null;
        foreach (var push in task)
        {
            var retry = previous is not null && previous.Step == push.Step && previous.BaseVersion == push.BaseVersion;
            if (push.Step <= highest && !retry) steps.Add(push.Step);
            highest = Math.Max(highest, push.Step);
            previous = push;
        }
        return steps.Count;
    }

    /// <summary>
    /// (task, step) pairs a group accepted twice into one history. When the group's version goes back (it was
    /// restored from an older checkpoint), the acceptances above the version it went back to are forgotten:
    /// their updates were lost with the group, so accepting the step again applies it once.
    /// </summary>
    private static int CountDoubleApplied(IEnumerable<PushEvent> accepted)
    {
        var applied = new Dictionary<(string Task, long Step), long>();
        var last = long.MinValue;
        var count = 0;
        foreach (var push in accepted)
        {
            if (push.Version < last)
            {
                foreach (var lost in applied.Where(a => a.Value >= push.Version).Select(a => a.Key).ToList())
                {
                    applied.Remove(lost);
                }
            }
            if (!applied.TryAdd((push.Task, push.Step), push.Version)) count++;
            last = push.Version;
        }
        return count;
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
