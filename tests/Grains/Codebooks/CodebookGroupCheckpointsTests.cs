using Accept.GrainInterfaces.Codebooks;
using Accept.GrainInterfaces.Tensors;
using Accept.Grains.Aggregation;
using Accept.Grains.Codebooks;
using Accept.Grains.Tensors;
using Accept.Training.Checkpointing;
using Accept.Training.Config;
using Accept.Training.Checkpointing.Store;
using Accept.Training.Optim;
using Accept.Training.Prompts;
using Microsoft.Extensions.Logging.Abstractions;
using static TorchSharp.torch;

namespace Accept.Tests.Grains.Codebooks;

/// <summary>A codebook group's two checkpoint scopes in a real directory store, without a cluster.</summary>
[Trait("Category", "Fast")]
public sealed class CodebookGroupCheckpointsTests : IDisposable
{
    private static readonly PromptLayout Layout = new PromptLayout { DModel = 16, PromptLength = 3, MaxLength = 6, ScppSubDim = 4, ScppCodebookSize = 3, Added = AddedKind.Scap, AddedSubDim = 8, AddedCodebookSize = 2, AddedRank = 2, AddedAlpha = 8 }.Validated();
    private static readonly CodebookGroupSpec Spec = new("job1", "g", "{}", TimeSpan.FromMinutes(1));

    private readonly string _root = Directory.CreateTempSubdirectory("accept-group-ckpt-").FullName;
    private readonly CodebookGroup _group = NewGroup();

    public void Dispose()
    {
        _group.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private static CodebookGroup NewGroup() =>
        new("g", Layout, new CodebookGroupOptions(new LinearSchedule(0.3, 0, 100), new LinearSchedule(0.01, 0, 100)), 1);

    private CodebookCoordinator Coordinator(AggregationMode mode, int checkpointEvery = 0) =>
        new(_group, new CodebookRules(mode, 2, checkpointEvery), CodebookCoordinatorState.New(["a", "b"]), _ => new Timer(_ => { }));

    private GradientPush Push(string task, long step)
    {
        using var scope = NewDisposeScope();
        var gradients = _group.Codebooks.ToDictionary(c => c.Key, c => TensorPayloadConverter.ToPayload(full_like(c.Value, 0.01f)));
        return new GradientPush(task, _group.Version, step, gradients);
    }

    private CodebookGroupCheckpoints Checkpoints(ICheckpointStore store) => new(store, "job1", "g", NullLogger.Instance);

    [Fact]
    public async Task A_sync_group_stores_its_state_once_per_change_and_comes_back_from_the_newer_scope()
    {
        var store = new DirectoryCheckpointStore(_root, keep: 10);
        var checkpoints = Checkpoints(store);
        using var coordinator = Coordinator(AggregationMode.Sync);

        await checkpoints.StoredRound(_group, Spec, coordinator);
        await checkpoints.StoredRound(_group, Spec, coordinator);
        await checkpoints.Save(_group, Spec, coordinator);
        _ = coordinator.Offer(Push("a", 1));
        _ = coordinator.Offer(Push("b", 1));
        await checkpoints.StoredRound(_group, Spec, coordinator);

        Assert.Equal(2, (await store.ListAsync(checkpoints.RoundScope)).Count);
        Assert.Equal(0L, checkpoints.SavedVersion);
        var newest = await Checkpoints(store).LoadNewestAsync();
        var state = Checkpoints(store).StateOf(newest!)!;
        Assert.Equal((1L, 2L, Spec), (state.Rounds, state.AppliedGradients, state.Spec));
        using var restored = NewGroup();
        Checkpoints(store).Restore(newest!, restored);
        Assert.Equal(1L, restored.Version);
        Assert.True(restored.Codebooks.All(c => c.Value.allclose(_group.Codebooks[c.Key])));
    }

    [Fact]
    public async Task Changes_made_while_a_round_write_is_stored_join_one_later_write_with_the_newest_state()
    {
        var store = new HeldStore(new DirectoryCheckpointStore(_root, keep: 10));
        var checkpoints = Checkpoints(store);
        using var coordinator = Coordinator(AggregationMode.Sync);

        var first = checkpoints.SaveRoundIfChanged(_group, Spec, coordinator);
        await store.Writing.Task.WaitAsync(TimeSpan.FromSeconds(10));
        coordinator.Join("c");
        var second = checkpoints.SaveRoundIfChanged(_group, Spec, coordinator);
        coordinator.Join("d");
        var third = checkpoints.SaveRoundIfChanged(_group, Spec, coordinator);
        Assert.Same(second, third);
        Assert.False(first.IsCompleted);

        store.Release.SetResult();
        await Task.WhenAll(first, second, third).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, (await store.ListAsync(checkpoints.RoundScope)).Count);
        var newest = checkpoints.StateOf((await checkpoints.LoadNewestAsync())!)!;
        Assert.Equal(["a", "b", "c", "d"], newest.Members.Order(StringComparer.Ordinal));
    }

    /// <summary>A directory store whose first write waits until <see cref="Release"/> (so a write is in flight).</summary>
    private sealed class HeldStore(DirectoryCheckpointStore inner) : ICheckpointStore
    {
        public TaskCompletionSource Writing { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CheckpointStoreLocation Location => inner.Location;

        public async Task<CheckpointInfo> SaveAsync(CheckpointScope scope, CheckpointContent content, CancellationToken cancellationToken = default)
        {
            Writing.TrySetResult();
            await Release.Task;
            return await inner.SaveAsync(scope, content, cancellationToken);
        }

        public Task<LoadedCheckpoint?> LoadLatestAsync(CheckpointScope scope, CancellationToken cancellationToken = default) => inner.LoadLatestAsync(scope, cancellationToken);

        public Task<LoadedCheckpoint?> LoadLatestAsync(CheckpointScope scope, Func<CheckpointContent, string?>? check, CancellationToken cancellationToken = default) =>
            inner.LoadLatestAsync(scope, check, cancellationToken);

        public Task<IReadOnlyList<LoadedCheckpoint>> LoadVerifiedAsync(CheckpointScope scope, Func<CheckpointContent, string?>? check = null, CancellationToken cancellationToken = default) =>
            inner.LoadVerifiedAsync(scope, check, cancellationToken);

        public Task<IReadOnlyList<CheckpointInfo>> ListAsync(CheckpointScope scope, CancellationToken cancellationToken = default) => inner.ListAsync(scope, cancellationToken);
    }

    [Fact]
    public async Task An_async_group_keeps_its_interval_checkpoints_alone_and_a_newer_interval_save_wins()
    {
        var store = new DirectoryCheckpointStore(_root);
        var checkpoints = Checkpoints(store);
        using (var sync = Coordinator(AggregationMode.Sync))
        {
            await checkpoints.StoredRound(_group, Spec, sync);
        }
        using var coordinator = Coordinator(AggregationMode.Async);

        _ = coordinator.Offer(Push("a", 1));
        await checkpoints.StoredRound(_group, Spec, coordinator);
        await checkpoints.Save(_group, Spec, coordinator);
        await checkpoints.Completion;

        Assert.Single(await store.ListAsync(checkpoints.RoundScope));
        var newest = await checkpoints.LoadNewestAsync();
        Assert.Equal("1", newest!.Content.Metadata[CheckpointParts.Version]);
        Assert.Equal(1L, checkpoints.SavedVersion);
    }

    [Fact]
    public async Task The_last_member_leaving_checkpoints_the_final_version_once_and_only_when_it_moved()
    {
        var store = new DirectoryCheckpointStore(_root, keep: 10);
        var checkpoints = Checkpoints(store);
        using var coordinator = Coordinator(AggregationMode.Sync, checkpointEvery: 3);
        var saves = new CodebookGroupSaves(checkpoints, _group, Spec, coordinator);
        await saves.Now();
        _ = coordinator.Offer(Push("a", 1));
        _ = coordinator.Offer(Push("b", 1));
        await saves.Changed();
        Assert.Equal(0L, checkpoints.SavedVersion); // checkpoint_every 3: none due at version 1

        coordinator.Leave("a");
        await saves.Left(wasMember: true);
        Assert.Equal(0L, checkpoints.SavedVersion); // b is still a member
        coordinator.Leave("b");
        await saves.Left(wasMember: true);
        // Again the last member, at the version just saved: no duplicate.
        coordinator.Join("a");
        coordinator.Leave("a");
        await saves.Left(wasMember: true);
        await checkpoints.Completion;

        Assert.Equal(1L, checkpoints.SavedVersion);
        var saved = await store.LoadVerifiedAsync(checkpoints.Scope);
        Assert.Equal(["0", "1"], saved.Select(c => c.Content.Metadata[CheckpointParts.Version]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_checkpoint_of_tensors_alone_holds_no_grain_state()
    {
        var store = new DirectoryCheckpointStore(_root);
        using (var tensors = CodebookCheckpoint.Capture(_group))
        {
            await store.SaveAsync(new CheckpointScope("job1", CheckpointOwners.Codebook("g")),
                new CheckpointContent(new Dictionary<string, byte[]> { [CheckpointParts.Codebook] = tensors.ToBytes() }, new Dictionary<string, string>()));
        }
        var checkpoints = Checkpoints(store);

        var loaded = await checkpoints.LoadLatestAsync();

        Assert.Null(checkpoints.StateOf(loaded!));
        Assert.Equal(loaded!.Info.ObjectName, (await checkpoints.LoadNewestAsync())!.Info.ObjectName);
    }
}
