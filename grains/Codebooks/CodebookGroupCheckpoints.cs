using System.Globalization;
using System.Text.Json;
using Accept.GrainInterfaces.Codebooks;
using Accept.Grains.Aggregation;
using Accept.Grains.Checkpoints;
using Accept.Training.Checkpointing;
using Accept.Training.Checkpointing.Store;
using Accept.Training.Prompts;
using Microsoft.Extensions.Logging;

namespace Accept.Grains.Codebooks;

/// <summary>
/// A codebook group's checkpoints: the checkpoint_every ones (which task checkpoints match on resume) in the
/// group's scope, and in its round scope the state after every round that changed it (sync groups), so a group
/// restored on another silo is never behind a version some task already saw. Each scope's writes are chained
/// (<see cref="SerializedCheckpointWriter"/>); a content is captured when it is queued. Each holds the group's
/// tensors (codebooks and AdamW moments) and, as JSON beside them, the coordinator's state
/// (<see cref="CodebookGrainState"/>).
/// </summary>
internal sealed class CodebookGroupCheckpoints(ICheckpointStore store, string jobId, string group, ILogger logger)
{
    private const string StatePart = "state";

    private readonly SerializedCheckpointWriter _writer = new(store, logger);
    private readonly SerializedCheckpointWriter _roundWriter = new(store, logger);
    private (long Rounds, long Applied, bool Closed, int Members) _roundSaved = (-1, -1, false, -1);
    private bool _roundQueued; // a round write waits for the one before it and has not captured its content yet

    public CheckpointScope Scope { get; } = new(jobId, CheckpointOwners.Codebook(group));

    public CheckpointScope RoundScope { get; } = new(jobId, CheckpointOwners.CodebookRound(group));

    /// <summary>The version of the last checkpoint_every (or final) save; -1 before one.</summary>
    public long SavedVersion { get; private set; } = -1;

    /// <summary>The newest checkpoint_every write (awaiting it waits for every earlier one).</summary>
    public Task Saved => _writer.Completion;

    /// <summary>Every write queued so far, in both scopes.</summary>
    public Task Completion => Task.WhenAll(_writer.Completion, _roundWriter.Completion);

    /// <summary>Queues a checkpoint_every checkpoint of the group and its coordinator as they are now.</summary>
    public Task Save(CodebookGroup codebooks, CodebookGroupSpec spec, CodebookCoordinator coordinator)
    {
        SavedVersion = codebooks.Version;
        return _writer.Save(Scope, Capture(codebooks, spec, coordinator));
    }

    /// <summary>
    /// Queues the state to the round scope when a round, an applied gradient, closing or the membership changed it
    /// since the last such save. Async groups never do: they apply every push as a version and keep their
    /// checkpoint_every checkpoints alone (a stored state per push serialised pushes behind a disk write: bench
    /// pushes 7,000/s → 560/s), so after a failover an async group can come back a few versions older and its
    /// tasks rejoin (docs/reliability.md). Changes made while a round write is stored join the next write, which
    /// captures the state when it starts: 1,600 tasks joining in a burst cost a few writes, not 1,600 (bench scale).
    /// </summary>
    public Task SaveRoundIfChanged(CodebookGroup codebooks, CodebookGroupSpec spec, CodebookCoordinator coordinator)
    {
        if (!coordinator.SavesEveryRound)
        {
            return Task.CompletedTask;
        }
        var now = (coordinator.Rounds, coordinator.AppliedGradients, coordinator.Closed, coordinator.Members.Count);
        if (now == _roundSaved)
        {
            return Task.CompletedTask;
        }
        _roundSaved = now;
        if (_roundQueued)
        {
            return _roundWriter.Completion; // the queued write is the newest, and captures after this change
        }
        _roundQueued = true;
        return _roundWriter.Save(RoundScope, () =>
        {
            _roundQueued = false;
            return Capture(codebooks, spec, coordinator);
        });
    }

    /// <summary>Returns once the state as it is now (and every earlier one) is in the round scope.</summary>
    public async Task StoredRound(CodebookGroup codebooks, CodebookGroupSpec spec, CodebookCoordinator coordinator)
    {
        await SaveRoundIfChanged(codebooks, spec, coordinator);
        await _roundWriter.Completion;
    }

    /// <summary>The newer of the two scopes' latest checkpoints (the round scope's unless an interval save came after it), or null.</summary>
    public async Task<LoadedCheckpoint?> LoadNewestAsync(CancellationToken cancellationToken = default)
    {
        var interval = await store.LoadLatestAsync(Scope, cancellationToken);
        var round = await store.LoadLatestAsync(RoundScope, cancellationToken);
        return round is null || (interval is not null && VersionOf(interval) > VersionOf(round)) ? interval : round;
    }

    /// <summary>The latest checkpoint_every checkpoint (a resumed run's codebooks), or null.</summary>
    public Task<LoadedCheckpoint?> LoadLatestAsync() => store.LoadLatestAsync(Scope);

    /// <summary>
    /// The grain state a checkpoint holds, or null when it holds only tensors (written by the in-process trainer
    /// or copied for a resumed run: the group is then built from the spec and its tensors restored).
    /// </summary>
    public CodebookGrainState? StateOf(LoadedCheckpoint checkpoint)
    {
        if (!checkpoint.Content.Parts.TryGetValue(StatePart, out var state))
        {
            return null;
        }
        return JsonSerializer.Deserialize<CodebookGrainState>(state) ?? throw new InvalidDataException($"Checkpoint {Scope} holds no codebook grain state.");
    }

    /// <summary>Sets <paramref name="codebooks"/> to the checkpoint's tensors.</summary>
    public void Restore(LoadedCheckpoint checkpoint, CodebookGroup codebooks)
    {
        using var tensors = CodebookCheckpoint.FromBytes(checkpoint.Content.Parts[CheckpointParts.Codebook], $"{Scope} {checkpoint.Info.ObjectName}");
        tensors.Restore(codebooks);
    }

    /// <summary>After a restore from <paramref name="state"/>: the round scope already holds it.</summary>
    public void Restored(CodebookGrainState state) => _roundSaved = (state.Rounds, state.AppliedGradients, state.Closed, state.Members.Count);

    private static CheckpointContent Capture(CodebookGroup codebooks, CodebookGroupSpec spec, CodebookCoordinator coordinator)
    {
        byte[] tensors;
        using (var checkpoint = CodebookCheckpoint.Capture(codebooks))
        {
            tensors = checkpoint.ToBytes();
        }
        var state = coordinator.State();
        var json = JsonSerializer.SerializeToUtf8Bytes(new CodebookGrainState(spec, state.Members, state.LastSteps, state.AppliedGradients, state.Rounds, state.Closed));
        return new CheckpointContent(
            new Dictionary<string, byte[]> { [CheckpointParts.Codebook] = tensors, [StatePart] = json },
            new Dictionary<string, string> { [CheckpointParts.Version] = codebooks.Version.ToString(CultureInfo.InvariantCulture) });
    }

    private static long VersionOf(LoadedCheckpoint checkpoint) =>
        long.TryParse(checkpoint.Content.Metadata.GetValueOrDefault(CheckpointParts.Version), NumberStyles.Integer, CultureInfo.InvariantCulture, out var version) ? version : -1;
}
