using System.Globalization;
using System.Text;
using Accept.GrainInterfaces.Sweeps;
using Accept.Training.Checkpointing.Store;
using Accept.Training.Config;
using Accept.Training.Sweeps;

namespace Accept.Grains.Sweeps;

/// <summary>What a sweep grain keeps durable: the engine's state, the sweep directory and how many trials run at once.</summary>
public sealed record SweepRecord(SweepState State, string Directory, int Concurrency)
{
    /// <summary>A submitted sweep's first record (a new state, or the state.json it resumes) and its spec.</summary>
    /// <exception cref="ArgumentException">The spec is malformed, or the state belongs to another sweep; the message says which key or sweep.</exception>
    public static (SweepRecord Record, SweepSpec Spec) Submitted(string sweepId, SweepSubmission submission)
    {
        SweepSpec spec;
        try
        {
            spec = SweepSpecReader.Parse(submission.SweepSpecJson, "sweep spec");
        }
        catch (SpecException e)
        {
            // Only plain exception types cross the wire intact.
            throw new ArgumentException(e.Message);
        }
        var state = submission.ResumeStateJson is { } saved ? SweepStateJson.FromJson(saved, "state.json") : SweepEngine.Create(sweepId, spec);
        if (state.SweepId != sweepId)
        {
            throw new ArgumentException($"state.json belongs to sweep '{state.SweepId}', not '{sweepId}'");
        }
        return (new SweepRecord(state, submission.Directory, Math.Max(1, spec.MaxConcurrentTrials ?? submission.DefaultConcurrency)), spec);
    }
}

/// <summary>
/// A sweep's record in the checkpoint store (scope "sweep-id/sweep"): the state as state.json's JSON, the
/// directory and the concurrency as metadata (with the phase, for a reader of the store).
/// </summary>
public sealed class SweepCheckpoints(ICheckpointStore store, string sweepId)
{
    private const string StatePart = "state";
    private const string DirectoryKey = "directory";
    private const string ConcurrencyKey = "concurrency";

    public CheckpointScope Scope { get; } = new(sweepId, "sweep");

    /// <summary>The sweep's latest record, or null before its first save.</summary>
    public async Task<SweepRecord?> LoadAsync(CancellationToken cancellationToken = default)
    {
        if (await store.LoadLatestAsync(Scope, cancellationToken) is not { } loaded)
        {
            return null;
        }
        var state = SweepStateJson.FromJson(Encoding.UTF8.GetString(loaded.Content.Parts[StatePart]), $"sweep {sweepId}");
        return new SweepRecord(state, loaded.Content.Metadata[DirectoryKey], int.Parse(loaded.Content.Metadata[ConcurrencyKey], CultureInfo.InvariantCulture));
    }

    public Task SaveAsync(SweepRecord record) =>
        store.SaveAsync(Scope, new CheckpointContent(
            new Dictionary<string, byte[]> { [StatePart] = Encoding.UTF8.GetBytes(SweepStateJson.ToJson(record.State)) },
            new Dictionary<string, string>
            {
                [DirectoryKey] = record.Directory,
                [ConcurrencyKey] = record.Concurrency.ToString(CultureInfo.InvariantCulture),
                ["phase"] = record.State.Phase.ToString(),
            }));
}
