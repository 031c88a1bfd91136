using Accept.Grains.Sweeps;
using Accept.Tests.Sweeps;
using Accept.Training.Sweeps;

namespace Accept.Tests.Grains.Sweeps;

/// <summary>How the sweep grain takes events (<see cref="SweepDecisions"/>), with the real engine and a recorded persistence.</summary>
[Trait("Category", "Fast")]
public sealed class SweepDecisionsTests
{
    [Fact]
    public async Task Actions_run_only_after_the_state_that_decided_them_is_persisted_and_their_follow_up_events_are_decided_in_turn()
    {
        var spec = SweepSpecs.Asha(trials: 3, grace: 10, eta: 2, maxSteps: 40);
        var state = SweepEngine.Create("s", spec);
        var persisted = new List<int>(); // decisions recorded at each persist
        var executed = new List<(string Action, int Trial, int PersistedDecisions)>();

        await SweepDecisions.ApplyAsync(state, spec, [new SlotsFree(2), new SlotsFree(0)],
            () =>
            {
                persisted.Add(state.Decisions.Count);
                return Task.CompletedTask;
            },
            action =>
            {
                executed.Add((action.GetType().Name, action.Trial, persisted.LastOrDefault(-1)));
                // The first trial's job refuses its spec: the engine marks it invalid and the next free slot is decided later.
                return Task.FromResult<SweepEvent?>(action.Trial == 0 ? new TrialRejected(0, "bad spec") : null);
            });

        Assert.Equal([("StartTrial", 0, 2), ("StartTrial", 1, 2)], executed);
        Assert.Equal([2, 3], persisted); // the two starts, then the rejection; SlotsFree(0) decided nothing and stored nothing
        Assert.Equal((TrialState.Invalid, "bad spec"), (state.Trial(0).State, state.Trial(0).Reason));
        Assert.Equal(TrialState.Running, state.Trial(1).State);
    }
}
