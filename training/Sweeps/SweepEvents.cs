namespace Accept.Training.Sweeps;

/// <summary>What happened to a sweep; <see cref="SweepEngine.Decide"/> turns (state, event) into the next state and actions.</summary>
public abstract record SweepEvent;

/// <summary>Slots are free: start pending trials (in trial order), at most <paramref name="Free"/>.</summary>
public sealed record SlotsFree(int Free) : SweepEvent;

/// <summary>A trial reached a milestone (ASHA rung or PBT interval) with this objective.</summary>
public sealed record MilestoneReached(int Trial, long Step, double Value) : SweepEvent;

/// <summary>A trial's job ended on its own: completed, failed or cancelled from outside.</summary>
public sealed record TrialEnded(int Trial, TrialState Outcome, long Steps, double? Objective, string? Reason) : SweepEvent;

/// <summary>The cluster rejected a trial's run spec (e.g. a prompt width the backbone does not divide).</summary>
public sealed record TrialRejected(int Trial, string Reason) : SweepEvent;

/// <summary>A trial's progress for display (step, latest objective, silo); decides nothing.</summary>
public sealed record TrialProgress(int Trial, long Step, double? Objective, string? Silo) : SweepEvent;

public sealed record CancelSweep : SweepEvent;

/// <summary>What the sweep grain must do after a decision.</summary>
public abstract record SweepAction(int Trial);

/// <param name="RestoreFromJob">PBT exploit or retry: the job whose checkpoint the new job starts from.</param>
/// <param name="RestoreFromTrial">The trial whose run directory holds that job (the donor; the trial itself for a retry).</param>
public sealed record StartTrial(int Trial, string JobId, string RunSpecJson, string? RestoreFromJob, int? RestoreFromTrial = null) : SweepAction(Trial);

/// <summary>Cancel the trial's job (ASHA stop, PBT exploit of its old segment, sweep cancel).</summary>
public sealed record StopTrial(int Trial, string JobId) : SweepAction(Trial);

public sealed record PauseTrial(int Trial, string JobId) : SweepAction(Trial);

public sealed record ResumeTrial(int Trial, string JobId) : SweepAction(Trial);
