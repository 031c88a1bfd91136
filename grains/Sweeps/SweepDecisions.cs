using Accept.Training.Sweeps;

namespace Accept.Grains.Sweeps;

/// <summary>
/// How a sweep on the cluster takes events: each decided by <see cref="SweepEngine"/>; the state persisted whenever a
/// decision was recorded or actions follow — before those actions run, so a sweep restored elsewhere repeats them
/// (they are idempotent) — then the actions carried out, each possibly answering with a further event (a trial's
/// job refused its spec) that is decided in turn. Plain: the sweep grain passes its persistence and its grain calls.
/// </summary>
internal static class SweepDecisions
{
    /// <param name="persist">Stores the state (checkpoint store and the sweep directory).</param>
    /// <param name="execute">Carries out one action; returns the event it produced, or null.</param>
    public static async Task ApplyAsync(SweepState state, SweepSpec spec, IEnumerable<SweepEvent> events, Func<Task> persist,
        Func<SweepAction, Task<SweepEvent?>> execute)
    {
        var queue = new Queue<SweepEvent>(events);
        while (queue.TryDequeue(out var e))
        {
            var before = state.Decisions.Count;
            var actions = SweepEngine.Decide(state, spec, e);
            if (state.Decisions.Count != before || actions.Count > 0) await persist();
            foreach (var action in actions)
            {
                if (await execute(action) is { } followUp) queue.Enqueue(followUp);
            }
        }
    }
}
