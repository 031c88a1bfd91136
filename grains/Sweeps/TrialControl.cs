using Accept.GrainInterfaces;
using Accept.GrainInterfaces.Jobs;
using Accept.GrainInterfaces.Sweeps;
using Accept.GrainInterfaces.Tasks;
using Accept.Training.Config;
using Accept.Training.Sweeps;
using TrialState = Accept.Training.Sweeps.TrialState;

namespace Accept.Grains.Sweeps;

/// <summary>The sweep grain's calls on its trials' task and job grains, and its status as the client sees it.</summary>
internal static class TrialControl
{
    /// <summary>Calls <paramref name="call"/> on every task grain of the trial's job (pause, resume).</summary>
    public static async Task ForEachTaskAsync(IGrainFactory grains, SweepSpec spec, string jobId, TrialRecord trial, Func<ITaskGrain, Task<TrainingTaskStatus>> call)
    {
        var (json, _) = SweepEngine.TrialSpec(spec, trial.Params);
        foreach (var task in RunSpecReader.Parse(json, "trial spec").Tasks)
        {
            await call(grains.GetGrain<ITaskGrain>(GrainKeys.Task(jobId, task.Name)));
        }
    }

    /// <summary>After a restart: stops decided before the restart are repeated (cancelling a job twice is harmless), pauses re-issued.</summary>
    public static async Task RepeatStopsAsync(IGrainFactory grains, SweepState state, SweepSpec spec)
    {
        foreach (var trial in state.Trials.Where(t => t.State is TrialState.Stopped or TrialState.Paused))
        {
            var jobId = SweepEngine.JobId(state, trial);
            try
            {
                if (trial.State == TrialState.Stopped) await grains.GetGrain<IJobGrain>(jobId).Cancel();
                else await ForEachTaskAsync(grains, spec, jobId, trial, t => t.Pause());
            }
            catch (InvalidOperationException)
            {
                // The job was never submitted: nothing to stop.
            }
        }
    }

    /// <summary>The sweep's status; it says "running" until the sweep's summary and plots are written.</summary>
    public static SweepStatus StatusOf(string sweepId, SweepState state, SweepSpec spec, SweepDirectory directory, bool finalized)
    {
        var best = SweepEngine.Best(state, spec.Objective);
        var trials = state.Trials.Select(t => new TrialStatus(t.Id, t.Name, t.State.ToString().ToLowerInvariant(),
            t.Milestones.Count == 0 ? null : t.Milestones[^1].Step, t.Step, spec.Scheduler.MaxSteps, t.Objective, t.Params, t.Silo,
            SweepEngine.JobId(state, t), t.Reason, directory.TrialDirectory(t))).ToList();
        var phase = state.Phase == SweepPhase.Running || !finalized ? "running" : state.Phase.ToString().ToLowerInvariant();
        return new SweepStatus(sweepId, phase, directory.Path, spec.Objective.Name, spec.Objective.Mode.ToString().ToLowerInvariant(), trials, best?.Id);
    }
}
