namespace Accept.Training.Sweeps;

/// <summary>
/// Everything a sweep has decided, and all it needs to decide the rest: the trial table, the RNG state, the
/// ASHA rung records, the PBT lineage and the decision log. Persisted as JSON after every decision; a sweep
/// restored from it decides exactly as one that never stopped (<see cref="SweepEngine"/>).
/// </summary>
public sealed class SweepState
{
    public required string SweepId { get; init; }

    /// <summary>The resolved sweep spec (<see cref="SweepSpecWriter"/>), base run spec inline.</summary>
    public required string SpecJson { get; init; }

    public required ulong[] Random { get; set; }

    public SweepPhase Phase { get; set; } = SweepPhase.Running;

    public required List<TrialRecord> Trials { get; init; }

    /// <summary>ASHA: rung step → results recorded there, in the order they were recorded.</summary>
    public SortedDictionary<long, List<RungResult>> Rungs { get; init; } = [];

    /// <summary>PBT: every exploit, in order.</summary>
    public List<LineageEntry> Lineage { get; init; } = [];

    /// <summary>Every decision, in order: what the "same decisions" of a resumed sweep are compared on.</summary>
    public List<SweepDecision> Decisions { get; init; } = [];

    public TrialRecord Trial(int id) => Trials[id];
}

public enum SweepPhase
{
    Running,
    Completed,
    Cancelled,
}

public enum TrialState
{
    Pending,
    Running,

    /// <summary>Running, held at an ASHA rung until the trials before it are decided there (deterministic mode).</summary>
    Paused,
    Completed,
    Stopped,
    Failed,
    Invalid,
    Cancelled,
}

public sealed class TrialRecord
{
    public required int Id { get; init; }

    /// <summary>Raw JSON values by dotted run-spec path (changed by PBT exploits).</summary>
    public required Dictionary<string, string> Params { get; set; }

    public TrialState State { get; set; }

    /// <summary>Why the trial is invalid, failed or stopped.</summary>
    public string? Reason { get; set; }

    /// <summary>Which job of the trial: 0 at first, +1 for every PBT exploit (a new job restored from the donor) or retry.</summary>
    public int Segment { get; set; }

    /// <summary>The job the current segment restores from: the donor's (PBT exploit) or the trial's own failed one (retry).</summary>
    public string? RestoreFromJob { get; set; }

    /// <summary>Times the trial's job failed and was started again from its checkpoint (<see cref="SweepEngine.MaxRetries"/>).</summary>
    public int Retries { get; set; }

    public long Step { get; set; }

    /// <summary>The objective at the last step seen (final once the trial ended).</summary>
    public double? Objective { get; set; }

    /// <summary>Objective at each milestone (rung or PBT interval) the trial reached, in step order.</summary>
    public List<Milestone> Milestones { get; init; } = [];

    /// <summary>Rungs at which this trial has a decision (ASHA).</summary>
    public List<long> DecidedRungs { get; init; } = [];

    public string? Silo { get; set; }

    public string Name => NameOf(Id);

    public static string NameOf(int id) => $"trial-{id:D3}";

    public bool IsActive => State is TrialState.Running or TrialState.Paused;

    public bool IsFinal => State is TrialState.Completed or TrialState.Stopped or TrialState.Failed or TrialState.Invalid or TrialState.Cancelled;

    public double? MilestoneValue(long step) => Milestones.FirstOrDefault(m => m.Step == step)?.Value;
}

public sealed record Milestone(long Step, double Value);

/// <param name="Continued">The decision taken for this result (null while it waits, deterministic mode).</param>
public sealed record RungResult(int Trial, double Value, bool? Continued);

/// <summary>A PBT exploit: <paramref name="Trial"/> took <paramref name="Donor"/>'s checkpoint at <paramref name="Step"/> and perturbed its values.</summary>
public sealed record LineageEntry(int Trial, long Step, int Donor, IReadOnlyDictionary<string, string> From, IReadOnlyDictionary<string, string> To);

public enum DecisionKind
{
    Start,
    Continue,
    Stop,
    Exploit,

    /// <summary>The trial's job failed; a new one continues from its checkpoint.</summary>
    Retry,
    Pause,
    Resume,
    End,
    Invalid,
}

public sealed record SweepDecision(int Trial, DecisionKind Kind, long Step, string? Detail = null);
