using Accept.Training.Sweeps;

namespace Accept.Tests.Sweeps;

/// <summary>
/// The engine driven by a small simulated cluster: trials advance at given speeds, report milestones and end.
/// Checks that decisions depend only on state and events (an interrupted-and-restored sweep decides the same)
/// and that deterministic ASHA does not depend on timing.
/// </summary>
[Trait("Category", "Fast")]
public sealed class SweepEngineTests
{
    /// <summary>Trial i's loss at a step: better trials are those with lower (i·5 mod 7); all fall with steps.</summary>
    private static double Loss(int trial, long step) => (trial * 5 % 7) + 1 + 10.0 / step;

    [Fact]
    public void Asha_stops_some_trials_at_rungs_and_the_best_reaches_max_steps()
    {
        var spec = SweepSpecs.Asha(trials: 8, grace: 10, eta: 2, maxSteps: 40);
        var state = Simulate(spec, concurrency: 3, speed: t => 1 + t % 3, interrupt: false);

        Assert.Equal(SweepPhase.Completed, state.Phase);
        Assert.Contains(state.Trials, t => t.State == TrialState.Stopped);
        var best = state.Trials.OrderBy(t => Loss(t.Id, 40)).First();
        Assert.Equal((TrialState.Completed, 40L), (best.State, best.Step));
        Assert.All(state.Trials.Where(t => t.State == TrialState.Stopped), t => Assert.Contains(t.Step, new long[] { 10, 20 }));
        Assert.Equal([10L, 20], state.Rungs.Keys);
        Assert.True(state.Decisions.Where(d => d.Kind == DecisionKind.Start).Select(d => d.Trial).SequenceEqual(Enumerable.Range(0, 8)), "trials start in order");
    }

    [Fact]
    public void A_trial_whose_job_failed_starts_again_from_its_own_checkpoint_at_most_MaxRetries_times()
    {
        var spec = SweepSpecs.Asha(trials: 1, grace: 10, eta: 2, maxSteps: 40);
        var state = SweepEngine.Create("s", spec);
        SweepEngine.Decide(state, spec, new SlotsFree(1));
        var trial = state.Trial(0);
        for (var i = 1; i <= SweepEngine.MaxRetries; i++)
        {
            var failedJob = SweepEngine.JobId(state, trial);
            var actions = SweepEngine.Decide(state, spec, new TrialEnded(0, TrialState.Failed, 7 * i, null, "Silo stopping"));
            var start = Assert.IsType<StartTrial>(Assert.Single(actions));
            Assert.Equal((failedJob, 0), (start.RestoreFromJob, start.RestoreFromTrial));
            Assert.Equal($"s.t000.p{i}", start.JobId);
            Assert.Equal(TrialState.Running, trial.State);
        }
        Assert.Empty(SweepEngine.Decide(state, spec, new TrialEnded(0, TrialState.Failed, 30, null, "again")));
        Assert.Equal(TrialState.Failed, trial.State);
        Assert.Equal(SweepEngine.MaxRetries, state.Decisions.Count(d => d.Kind == DecisionKind.Retry));
        Assert.Equal(SweepPhase.Completed, state.Phase);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_sweep_restored_from_its_persisted_state_after_every_event_decides_as_one_that_never_stopped(bool deterministic)
    {
        var spec = SweepSpecs.Asha(trials: 9, grace: 5, eta: 3, maxSteps: 50, deterministic);

        var uninterrupted = Simulate(spec, concurrency: 4, speed: t => 1 + t * 7 % 4, interrupt: false);
        var restored = Simulate(spec, concurrency: 4, speed: t => 1 + t * 7 % 4, interrupt: true);

        Assert.Equal(SweepStateJson.ToJson(uninterrupted), SweepStateJson.ToJson(restored));
        Assert.Contains(uninterrupted.Decisions, d => d.Kind == DecisionKind.Stop);
    }

    [Fact]
    public void Deterministic_asha_makes_the_same_rung_decisions_whatever_order_results_arrive_in()
    {
        var spec = SweepSpecs.Asha(trials: 9, grace: 5, eta: 3, maxSteps: 50, deterministic: true);

        var fastFirst = Simulate(spec, concurrency: 9, speed: t => 1 + t % 4, interrupt: false);
        var slowFirst = Simulate(spec, concurrency: 9, speed: t => 4 - t % 4, interrupt: false);
        var fewSlots = Simulate(spec, concurrency: 3, speed: t => 1 + t * 5 % 3, interrupt: false);

        static List<string> RungDecisions(SweepState s) => s.Decisions
            .Where(d => d.Kind is DecisionKind.Continue or DecisionKind.Stop)
            .Select(d => $"{d.Trial}@{d.Step}:{d.Kind}").Order().ToList();
        static List<string> Outcomes(SweepState s) => s.Trials.Select(t => $"{t.Id}:{t.State}").ToList();

        Assert.Equal(RungDecisions(fastFirst), RungDecisions(slowFirst));
        Assert.Equal(RungDecisions(fastFirst), RungDecisions(fewSlots));
        Assert.Equal(Outcomes(fastFirst), Outcomes(slowFirst));
        Assert.Equal(Outcomes(fastFirst), Outcomes(fewSlots));
        Assert.Contains(fastFirst.Trials, t => t.State == TrialState.Stopped);
    }

    [Fact]
    public void Fifo_runs_every_trial_to_the_end_never_more_than_max_concurrent_at_once()
    {
        var spec = SweepSpecs.Parse("""
            "parameters": { "method.prompt_length": { "grid": [2, 4, 6, 8, 10] } },
            "search": { "kind": "grid" },
            "scheduler": { "kind": "fifo", "max_steps": 20 }
            """);
        var state = Simulate(spec, concurrency: 2, speed: t => 1 + t % 2, interrupt: false);

        Assert.All(state.Trials, t => Assert.Equal((TrialState.Completed, 20L), (t.State, t.Step)));
    }

    [Fact]
    public void Cancelling_a_sweep_stops_running_trials_and_cancels_pending_ones()
    {
        var spec = SweepSpecs.Asha(trials: 4, grace: 10, eta: 2, maxSteps: 40);
        var state = SweepEngine.Create("s", spec);
        SweepEngine.Decide(state, spec, new SlotsFree(2));

        var actions = SweepEngine.Decide(state, spec, new CancelSweep());

        Assert.Equal([new StopTrial(0, "s.t000"), new StopTrial(1, "s.t001")], actions);
        Assert.All(state.Trials, t => Assert.Equal(TrialState.Cancelled, t.State));
        Assert.Equal(SweepPhase.Cancelled, state.Phase);
        Assert.Empty(SweepEngine.Decide(state, spec, new SlotsFree(2)));
    }

    /// <summary>
    /// Runs the sweep to its end on a simulated cluster: each tick every running trial advances by its speed,
    /// reporting each milestone it passes and its end at max_steps. With <paramref name="interrupt"/> the state is
    /// written to JSON and read back before every event, as a sweep grain restarted each time would.
    /// </summary>
    private static SweepState Simulate(SweepSpec spec, int concurrency, Func<int, int> speed, bool interrupt)
    {
        var state = SweepEngine.Create("s", spec);
        var milestones = SweepEngine.Milestones(spec.Scheduler);
        var steps = new Dictionary<int, long>();
        var paused = new HashSet<int>();

        void Apply(SweepEvent e)
        {
            if (interrupt) state = SweepStateJson.FromJson(SweepStateJson.ToJson(state), "state");
            foreach (var action in SweepEngine.Decide(state, spec, e))
            {
                switch (action)
                {
                    case StartTrial s: steps[s.Trial] = 0; break;
                    case StopTrial s: steps.Remove(s.Trial); paused.Remove(s.Trial); break;
                    case PauseTrial p: paused.Add(p.Trial); break;
                    case ResumeTrial r: paused.Remove(r.Trial); break;
                }
            }
        }

        Apply(new SlotsFree(concurrency));
        for (var tick = 0; tick < 10_000 && state.Phase == SweepPhase.Running; tick++)
        {
            foreach (var trial in steps.Keys.Order().ToList())
            {
                if (paused.Contains(trial) || !steps.TryGetValue(trial, out var from)) continue;
                var to = Math.Min(from + speed(trial), spec.Scheduler.MaxSteps);
                steps[trial] = to;
                foreach (var m in milestones.Where(m => m > from && m <= to))
                {
                    if (steps.ContainsKey(trial) && !paused.Contains(trial)) Apply(new MilestoneReached(trial, m, Loss(trial, m)));
                }
                if (steps.ContainsKey(trial) && to == spec.Scheduler.MaxSteps)
                {
                    steps.Remove(trial);
                    Apply(new TrialEnded(trial, TrialState.Completed, to, Loss(trial, to), null));
                }
            }
            Apply(new SlotsFree(concurrency - steps.Count));
        }
        return state;
    }
}
