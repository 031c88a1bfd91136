using Accept.Grains.Telemetry;
using Accept.Training.Sweeps;

namespace Accept.Grains.Sweeps;

/// <summary>A sweep's state as metrics: trials by state, best objective, and each new decision counted once.</summary>
internal static class SweepMetrics
{
    /// <summary>Records <paramref name="state"/>; returns how many decisions are now counted.</summary>
    public static int Record(AcceptMetrics metrics, SweepState state, SweepSpec spec, int decisionsRecorded)
    {
        foreach (var decision in state.Decisions.Skip(decisionsRecorded))
        {
            metrics.RecordSweepDecision(state.SweepId, decision.Kind.ToString().ToLowerInvariant());
        }
        var byState = Enum.GetValues<TrialState>().ToDictionary(s => s.ToString().ToLowerInvariant(), s => (long)state.Trials.Count(t => t.State == s));
        metrics.RecordSweep(state.SweepId, byState, spec.Objective.Name, spec.Objective.Mode.ToString().ToLowerInvariant(), SweepEngine.Best(state, spec.Objective)?.Objective);
        return state.Decisions.Count;
    }
}
