namespace Accept.GrainInterfaces.Sweeps;

/// <summary>
/// A hyperparameter sweep (docs/sweeps.md): owns the trial table, the sampler's RNG state, ASHA rung records
/// and PBT lineage, runs each trial as a job, persists its state after every decision. Key: the sweep id.
/// </summary>
[Alias("accept.ISweepGrain")]
public interface ISweepGrain : IGrainWithStringKey
{
    /// <summary>Starts the sweep, or (same spec again, e.g. `accept sweep --resume`) carries on with the persisted one.</summary>
    [Alias("Start")]
    Task<SweepStatus> Start(SweepSubmission submission);

    [Alias("GetStatus")]
    Task<SweepStatus> GetStatus();

    /// <summary>Stops every running trial and cancels the pending ones.</summary>
    [Alias("Cancel")]
    Task<SweepStatus> Cancel();
}

/// <param name="SweepSpecJson">The resolved sweep spec (base run spec inline, every path absolute).</param>
/// <param name="Directory">The sweep directory (absolute; silos must see it): state.json, trials.jsonl, summary.json, trials/.</param>
/// <param name="DefaultConcurrency">Trials at once when the spec gives no max_concurrent_trials: what the workers' slots hold.</param>
/// <param name="ResumeStateJson">`accept sweep --resume`: the sweep directory's state.json, used when the cluster holds no state of this sweep.</param>
[GenerateSerializer, Immutable]
[Alias("accept.SweepSubmission")]
public sealed record SweepSubmission(
    [property: Id(0)] string SweepSpecJson,
    [property: Id(1)] string Directory,
    [property: Id(2)] int DefaultConcurrency,
    [property: Id(3)] string? ResumeStateJson = null);

/// <param name="Phase">running, completed or cancelled.</param>
[GenerateSerializer, Immutable]
[Alias("accept.SweepStatus")]
public sealed record SweepStatus(
    [property: Id(0)] string SweepId,
    [property: Id(1)] string Phase,
    [property: Id(2)] string Directory,
    [property: Id(3)] string Objective,
    [property: Id(4)] string Mode,
    [property: Id(5)] IReadOnlyList<TrialStatus> Trials,
    [property: Id(6)] int? BestTrial);

/// <param name="State">pending, running, paused, completed, stopped, failed, invalid or cancelled.</param>
/// <param name="Rung">The highest ASHA rung (or PBT interval) the trial has a result at.</param>
/// <param name="Params">Dotted run-spec path → value (JSON text).</param>
[GenerateSerializer, Immutable]
[Alias("accept.TrialStatus")]
public sealed record TrialStatus(
    [property: Id(0)] int Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string State,
    [property: Id(3)] long? Rung,
    [property: Id(4)] long Step,
    [property: Id(5)] long MaxSteps,
    [property: Id(6)] double? Objective,
    [property: Id(7)] IReadOnlyDictionary<string, string> Params,
    [property: Id(8)] string? Silo,
    [property: Id(9)] string JobId,
    [property: Id(10)] string? Reason,
    [property: Id(11)] string RunDirectory);
