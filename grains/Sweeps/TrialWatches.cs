using System.Diagnostics.CodeAnalysis;
using Accept.Training.Config;

namespace Accept.Grains.Sweeps;

/// <summary>
/// The watches of a sweep's running trials: one per trial for the job it runs now (a trial started again under
/// another job id, a PBT exploit or a retry, gets a new one). Held in memory only, like each <see cref="TrialWatch"/>.
/// </summary>
internal sealed class TrialWatches
{
    private readonly Dictionary<int, TrialWatch> _watches = [];

    /// <summary>The trial's watch of <paramref name="jobId"/>, new (its tasks read from <paramref name="runSpecJson"/>) when it watched none or another job.</summary>
    public TrialWatch For(int trial, string jobId, string runSpecJson)
    {
        if (Of(trial, jobId) is not { } watch)
        {
            _watches[trial] = watch = new TrialWatch(jobId, RunSpecReader.Parse(runSpecJson, "trial spec").Tasks.Select(t => t.Name).ToList());
        }
        return watch;
    }

    /// <summary>The trial's watch when it watches <paramref name="jobId"/>; null for an event of a job the trial no longer runs.</summary>
    public TrialWatch? Of(int trial, string jobId) => _watches.TryGetValue(trial, out var watch) && watch.JobId == jobId ? watch : null;

    public bool Remove(int trial, [MaybeNullWhen(false)] out TrialWatch watch) => _watches.Remove(trial, out watch);
}
