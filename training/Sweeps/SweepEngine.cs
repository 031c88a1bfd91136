using Accept.Training.Config;

namespace Accept.Training.Sweeps;

/// <summary>
/// A sweep's decisions as a function of its state and one event: which pending trials start, which trials
/// continue or stop at an ASHA rung, which PBT trials exploit which. It changes the <see cref="SweepState"/> it
/// is given and returns what the grain must do; nothing else is read (no clock, no ambient random numbers), so a
/// sweep restored from its persisted state decides exactly as one that never stopped.
/// </summary>
public static class SweepEngine
{
    /// <summary>A new sweep: every trial drawn (pending), those the run spec rejects already invalid.</summary>
    public static SweepState Create(string sweepId, SweepSpec spec)
    {
        var random = new SweepRandom(spec.Search.Seed);
        var count = TrialSampler.TrialCount(spec.Search, spec.Parameters);
        var state = new SweepState
        {
            SweepId = sweepId,
            SpecJson = SweepSpecWriter.ToJson(spec),
            Random = random.State,
            Trials = [],
        };
        for (var i = 0; i < count; i++)
        {
            var values = TrialSampler.Sample(spec, i, random);
            var trial = new TrialRecord { Id = i, Params = values };
            state.Trials.Add(trial);
            if (TrialSpec(spec, values).Error is { } error) Invalidate(state, trial, error);
        }
        state.Random = random.State;
        Finish(state);
        return state;
    }

    /// <summary>The trial's run spec: the base with its values and <c>optimization.steps</c> = max_steps; or why the run spec rejects it.</summary>
    public static (string Json, string? Error) TrialSpec(SweepSpec spec, IReadOnlyDictionary<string, string> values)
    {
        var all = values.Append(KeyValuePair.Create("optimization.steps", spec.Scheduler.MaxSteps.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var (_, json, error) = RunSpecPaths.TryApply(spec.BaseRunSpecJson, all);
        return (json, error);
    }

    public static string JobId(SweepState state, TrialRecord trial) =>
        trial.Segment == 0 ? $"{state.SweepId}.t{trial.Id:D3}" : $"{state.SweepId}.t{trial.Id:D3}.p{trial.Segment}";

    /// <summary>The steps at which the grain reports <see cref="MilestoneReached"/>: ASHA rungs, PBT intervals below max_steps, none for FIFO.</summary>
    public static IReadOnlyList<long> Milestones(SchedulerSpec s) => s.Kind switch
    {
        SchedulerKind.Asha => AshaRungs.Steps(s.GraceSteps, s.ReductionFactor, s.MaxSteps),
        SchedulerKind.Pbt => Enumerable.Range(1, (s.MaxSteps - 1) / s.IntervalSteps).Select(k => (long)k * s.IntervalSteps).ToList(),
        _ => [],
    };

    public static IReadOnlyList<SweepAction> Decide(SweepState state, SweepSpec spec, SweepEvent e)
    {
        var actions = new List<SweepAction>();
        if (state.Phase != SweepPhase.Running) return actions;
        switch (e)
        {
            case SlotsFree free:
                StartPending(state, spec, free.Free, actions);
                break;
            case TrialProgress p when state.Trial(p.Trial).IsActive:
                var t = state.Trial(p.Trial);
                t.Step = Math.Max(t.Step, p.Step);
                t.Objective = p.Objective ?? t.Objective;
                t.Silo = p.Silo ?? t.Silo;
                break;
            case MilestoneReached m when state.Trial(m.Trial).IsActive && state.Trial(m.Trial).MilestoneValue(m.Step) is null:
                OnMilestone(state, spec, m, actions);
                break;
            case TrialEnded ended when state.Trial(ended.Trial).IsActive:
                OnEnded(state, spec, ended, actions);
                break;
            case TrialRejected rejected when state.Trial(rejected.Trial).IsActive:
                Invalidate(state, state.Trial(rejected.Trial), rejected.Reason);
                ResolveDeterministicRungs(state, spec, actions);
                break;
            case CancelSweep:
                foreach (var trial in state.Trials.Where(x => !x.IsFinal))
                {
                    if (trial.IsActive) actions.Add(new StopTrial(trial.Id, JobId(state, trial)));
                    trial.State = TrialState.Cancelled;
                    state.Decisions.Add(new SweepDecision(trial.Id, DecisionKind.End, trial.Step, "cancelled"));
                }
                state.Phase = SweepPhase.Cancelled;
                return actions;
        }
        Finish(state);
        return actions;
    }

    private static void StartPending(SweepState state, SweepSpec spec, int free, List<SweepAction> actions)
    {
        foreach (var trial in state.Trials.Where(t => t.State == TrialState.Pending).Take(Math.Max(0, free)).ToList())
        {
            var (json, error) = TrialSpec(spec, trial.Params);
            if (error is not null)
            {
                Invalidate(state, trial, error);
                continue;
            }
            trial.State = TrialState.Running;
            state.Decisions.Add(new SweepDecision(trial.Id, DecisionKind.Start, 0));
            actions.Add(new StartTrial(trial.Id, JobId(state, trial), json, null));
        }
    }

    private static void OnMilestone(SweepState state, SweepSpec spec, MilestoneReached m, List<SweepAction> actions)
    {
        var trial = state.Trial(m.Trial);
        trial.Milestones.Add(new Milestone(m.Step, m.Value));
        trial.Step = Math.Max(trial.Step, m.Step);
        trial.Objective = m.Value;
        switch (spec.Scheduler.Kind)
        {
            case SchedulerKind.Asha when spec.Scheduler.Deterministic:
                if (!state.Rungs.TryGetValue(m.Step, out var waiting)) state.Rungs[m.Step] = waiting = [];
                waiting.Add(new RungResult(m.Trial, m.Value, null));
                ResolveDeterministicRungs(state, spec, actions);
                if (trial.State == TrialState.Running && !trial.DecidedRungs.Contains(m.Step))
                {
                    trial.State = TrialState.Paused;
                    state.Decisions.Add(new SweepDecision(trial.Id, DecisionKind.Pause, m.Step));
                    actions.Add(new PauseTrial(trial.Id, JobId(state, trial)));
                }
                break;
            case SchedulerKind.Asha:
                if (!state.Rungs.TryGetValue(m.Step, out var recorded)) state.Rungs[m.Step] = recorded = [];
                var continues = AshaRungs.Continues(m.Value, recorded.Select(r => r.Value).ToList(), spec.Scheduler.ReductionFactor, spec.Objective);
                recorded.Add(new RungResult(m.Trial, m.Value, continues));
                ApplyRungDecision(state, trial, m.Step, continues, actions);
                break;
            case SchedulerKind.Pbt:
                ExploitAt(state, spec, m.Step, actions);
                break;
        }
    }

    /// <summary>
    /// Deterministic ASHA: rung results are decided in trial order. Trial i's result at rung r is decided once
    /// every trial before it has either a result at r or ended below r, against exactly those earlier results.
    /// </summary>
    private static void ResolveDeterministicRungs(SweepState state, SweepSpec spec, List<SweepAction> actions)
    {
        if (spec.Scheduler.Kind != SchedulerKind.Asha || !spec.Scheduler.Deterministic) return;
        foreach (var (rung, results) in state.Rungs)
        {
            for (var i = 0; i < results.Count; i++)
            {
                var ordered = results.OrderBy(r => r.Trial).ToList();
                var next = ordered.FirstOrDefault(r => r.Continued is null);
                if (next is null) break;
                var blocked = state.Trials.Where(t => t.Id < next.Trial).Any(t => t.MilestoneValue(rung) is null && !EndedBelow(t, rung));
                if (blocked) break;
                var earlier = ordered.Where(r => r.Trial < next.Trial).Select(r => r.Value).ToList();
                var continues = AshaRungs.Continues(next.Value, earlier, spec.Scheduler.ReductionFactor, spec.Objective);
                results[results.IndexOf(next)] = next with { Continued = continues };
                var trial = state.Trial(next.Trial);
                var wasPaused = trial.State == TrialState.Paused;
                ApplyRungDecision(state, trial, rung, continues, actions);
                if (continues && wasPaused)
                {
                    trial.State = TrialState.Running;
                    state.Decisions.Add(new SweepDecision(trial.Id, DecisionKind.Resume, rung));
                    actions.Add(new ResumeTrial(trial.Id, JobId(state, trial)));
                }
            }
        }
    }

    private static bool EndedBelow(TrialRecord t, long rung) => t.IsFinal && t.MilestoneValue(rung) is null;

    private static void ApplyRungDecision(SweepState state, TrialRecord trial, long rung, bool continues, List<SweepAction> actions)
    {
        trial.DecidedRungs.Add(rung);
        state.Decisions.Add(new SweepDecision(trial.Id, continues ? DecisionKind.Continue : DecisionKind.Stop, rung));
        if (continues || !trial.IsActive) return;
        actions.Add(new StopTrial(trial.Id, JobId(state, trial)));
        trial.State = TrialState.Stopped;
        trial.Reason = $"ASHA: below the cutoff at rung {rung}";
    }

    /// <summary>PBT at interval step <paramref name="step"/>, once every active trial has recorded it: bottom trials exploit top ones.</summary>
    private static void ExploitAt(SweepState state, SweepSpec spec, long step, List<SweepAction> actions)
    {
        var population = state.Trials.Where(t => t.IsActive || t.MilestoneValue(step) is not null).ToList();
        if (population.Any(t => t.MilestoneValue(step) is null)) return;
        if (state.Decisions.Any(d => d.Kind == DecisionKind.Exploit && d.Step == step)
            || state.Lineage.Any(l => l.Step == step)) return;
        var ranked = PbtExploit.Rank(population.Select(t => (t.Id, t.MilestoneValue(step)!.Value)).ToList(), spec.Objective);
        var q = PbtExploit.QuantileSize(ranked.Count, spec.Scheduler.Quantile);
        var random = SweepRandom.FromState(state.Random);
        foreach (var loser in ranked.Skip(ranked.Count - q))
        {
            var trial = state.Trial(loser);
            if (!trial.IsActive) continue;
            var donor = state.Trial(ranked[random.Next(q)]);
            var to = PbtExploit.Perturb(donor.Params, spec, random);
            state.Lineage.Add(new LineageEntry(trial.Id, step, donor.Id, new Dictionary<string, string>(trial.Params), to));
            state.Decisions.Add(new SweepDecision(trial.Id, DecisionKind.Exploit, step, $"from {donor.Name}"));
            var (json, error) = TrialSpec(spec, to);
            actions.Add(new StopTrial(trial.Id, JobId(state, trial)));
            if (error is not null)
            {
                Invalidate(state, trial, error);
                continue;
            }
            trial.Params = to;
            trial.Segment++;
            trial.RestoreFromJob = JobId(state, donor);
            actions.Add(new StartTrial(trial.Id, JobId(state, trial), json, trial.RestoreFromJob, donor.Id));
        }
        state.Random = random.State;
    }

    /// <summary>How often a trial whose job failed is started again from its own latest checkpoint (a silo lost mid-step).</summary>
    public const int MaxRetries = 2;

    private static void OnEnded(SweepState state, SweepSpec spec, TrialEnded ended, List<SweepAction> actions)
    {
        var trial = state.Trial(ended.Trial);
        if (ended.Outcome == TrialState.Failed && trial.Retries < MaxRetries)
        {
            // A new job of the trial, seeded from its failed job's checkpoints as `accept train --resume` seeds a run.
            trial.Retries++;
            trial.Step = Math.Max(trial.Step, ended.Steps);
            state.Decisions.Add(new SweepDecision(trial.Id, DecisionKind.Retry, trial.Step, ended.Reason));
            trial.RestoreFromJob = JobId(state, trial);
            trial.Segment++;
            actions.Add(new StartTrial(trial.Id, JobId(state, trial), TrialSpec(spec, trial.Params).Json, trial.RestoreFromJob, trial.Id));
            return;
        }
        trial.State = ended.Outcome is TrialState.Completed or TrialState.Failed or TrialState.Cancelled
            ? ended.Outcome
            : throw new ArgumentException($"a trial's job ends completed, failed or cancelled, not {ended.Outcome}", nameof(ended));
        trial.Step = Math.Max(trial.Step, ended.Steps);
        trial.Objective = ended.Objective ?? trial.Objective;
        trial.Reason = ended.Reason;
        state.Decisions.Add(new SweepDecision(trial.Id, DecisionKind.End, trial.Step, ended.Outcome.ToString().ToLowerInvariant()));
        ResolveDeterministicRungs(state, spec, actions);
        if (spec.Scheduler.Kind == SchedulerKind.Pbt)
        {
            foreach (var step in Milestones(spec.Scheduler)) ExploitAt(state, spec, step, actions);
        }
    }

    private static void Invalidate(SweepState state, TrialRecord trial, string reason)
    {
        trial.State = TrialState.Invalid;
        trial.Reason = reason;
        state.Decisions.Add(new SweepDecision(trial.Id, DecisionKind.Invalid, 0, reason));
    }

    private static void Finish(SweepState state)
    {
        if (state.Phase == SweepPhase.Running && state.Trials.All(t => t.IsFinal)) state.Phase = SweepPhase.Completed;
    }

    /// <summary>The best finished-or-running trial by its objective; null when none has one.</summary>
    public static TrialRecord? Best(SweepState state, ObjectiveSpec objective) =>
        state.Trials.Where(t => t.Objective is { } v && double.IsFinite(v))
            .Aggregate((TrialRecord?)null, (best, t) => best is null || objective.IsBetter(t.Objective!.Value, best.Objective!.Value) ? t : best);

    /// <summary>Parses the state's own resolved spec.</summary>
    public static SweepSpec SpecOf(SweepState state) => SweepSpecReader.Parse(state.SpecJson, $"sweep {state.SweepId}");
}
