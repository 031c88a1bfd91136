using Accept.GrainInterfaces.Codebooks;
using Accept.Training.Config;
using Accept.GrainInterfaces.Tensors;
using Accept.Grains.Aggregation;
using Accept.Grains.Tensors;
using Accept.Training.Optim;
using Accept.Training.Prompts;
using static TorchSharp.torch;

namespace Accept.Tests.Grains.Aggregation;

/// <summary>Hierarchical aggregation without a cluster: a silo's batch (GradientBatcher) offered to the group's coordinator.</summary>
[Trait("Category", "Fast")]
public sealed class HierarchicalBatchTests : IDisposable
{
    private static readonly PromptLayout Layout = new PromptLayout { DModel = 16, PromptLength = 3, MaxLength = 6, ScppSubDim = 4, ScppCodebookSize = 3, Added = AddedKind.Scap, AddedSubDim = 8, AddedCodebookSize = 2, AddedRank = 2, AddedAlpha = 8 }.Validated();

    private readonly CodebookGroup _batched = NewGroup();
    private readonly CodebookGroup _flat = NewGroup();

    public void Dispose()
    {
        _batched.Dispose();
        _flat.Dispose();
    }

    private static CodebookGroup NewGroup() => new("g", Layout, new CodebookGroupOptions(new LinearSchedule(0.3, 0, 100), new LinearSchedule(0.01, 0, 100)), 1);

    private static CodebookCoordinator Coordinator(CodebookGroup group, AggregationMode mode, params string[] members) =>
        new(group, new CodebookRules(mode, 2, 0), CodebookCoordinatorState.New(members), _ => new Nothing());

    /// <summary>A task activation's push (its epoch fixed per task name, as one activation's).</summary>
    private static GradientPush Push(CodebookGroup group, string task, long step, float value)
    {
        using var scope = NewDisposeScope();
        var gradients = group.Codebooks.ToDictionary(c => c.Key, c => TensorPayloadConverter.ToPayload(rand_like(c.Value).mul_(value)));
        return new GradientPush(task, group.Version, step, gradients, Epoch: new Guid(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(task))));
    }

    /// <summary>A batch of <paramref name="pushes"/> whose reply comes without waiting on other pushes (the round closes, or async).</summary>
    private static async Task<BatchPushResult> Offer(CodebookCoordinator coordinator, IEnumerable<GradientPush> pushes)
    {
        var batcher = new GradientBatcher(pushes.First().BaseVersion);
        var answers = pushes.Select(batcher.Add).ToList();
        var reply = await coordinator.OfferBatch(batcher.ToBatch()).WaitAsync(TimeSpan.FromSeconds(10));
        batcher.Answer(reply);
        Assert.All(answers, a => Assert.True(a.IsCompleted));
        return reply;
    }

    [Fact]
    public async Task Two_silos_batches_in_a_sync_round_give_the_flat_rounds_codebooks_and_one_shared_snapshot()
    {
        var tasks = new[] { "a", "b", "c", "d", "e" };
        var batched = Coordinator(_batched, AggregationMode.Sync, tasks);
        var flat = Coordinator(_flat, AggregationMode.Sync, tasks);
        for (var step = 1; step <= 3; step++)
        {
            var pushes = tasks.Select((t, i) => Push(_batched, t, step, 0.01f * (i + 1))).ToList();
            var flatAnswers = pushes.Select(p => flat.Offer(p with { BaseVersion = _flat.Version })).ToList();
            var first = batched.OfferBatch(Batch(pushes.Take(2)));
            Assert.False(first.IsCompleted);
            var second = await Offer(batched, pushes.Skip(2));
            Assert.All(await Task.WhenAll(flatAnswers), a => Assert.True(a.Accepted));
            var firstReply = await first.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.All(firstReply.Results!.Concat(second.Results!), r => Assert.True(r.Accepted));
            Assert.Same(second.Snapshot!.Tensors, firstReply.Snapshot!.Tensors);
        }
        Assert.Equal(_flat.Version, _batched.Version);
        Assert.Equal(15, batched.AppliedGradients);
        foreach (var (name, codebook) in _flat.Codebooks)
        {
            Assert.True(codebook.equal(_batched.Codebooks[name]).all().item<bool>(), name);
        }
    }

    [Fact]
    public async Task Sync_codebooks_are_bit_identical_whatever_the_batches_composition()
    {
        // Gradients 1e-4 to 1e3 apart: float32 sums in different groupings round differently; exact sums do not.
        var tasks = new[] { "a", "b", "c", "d", "e", "f" };
        var scales = new[] { 1e3f, 1e-4f, 3f, -1e3f, 7e-3f, 0.5f };
        using var other = NewGroup();
        var pushes = Enumerable.Range(1, 3).Select(step => tasks.Select((t, i) => Push(_batched, t, step, scales[i]) with { BaseVersion = step - 1 }).ToDictionary(p => p.TaskId)).ToList();
        var groups = new (CodebookGroup Group, string[][] Batches)[]
        {
            (_batched, [["a", "b", "c"], ["d", "e", "f"]]),
            (other, [["f"], ["a", "d"], ["b", "c", "e"]]),
        };
        foreach (var (group, batches) in groups)
        {
            var coordinator = Coordinator(group, AggregationMode.Sync, tasks);
            for (var step = 1; step <= 3; step++)
            {
                var replies = batches.Select(b => coordinator.OfferBatch(Batch(b.Select(t => pushes[step - 1][t])))).ToList();
                Assert.All(await Task.WhenAll(replies).WaitAsync(TimeSpan.FromSeconds(10)), r => Assert.All(r.Results!, m => Assert.True(m.Accepted)));
            }
        }
        var flat = Coordinator(_flat, AggregationMode.Sync, tasks);
        for (var step = 1; step <= 3; step++)
        {
            var answers = tasks.Reverse().Select(t => flat.Offer(pushes[step - 1][t])).ToList();
            Assert.All(await Task.WhenAll(answers).WaitAsync(TimeSpan.FromSeconds(10)), a => Assert.True(a.Accepted));
        }
        Assert.Equal(3, _batched.Version);
        foreach (var (name, codebook) in _batched.Codebooks)
        {
            Assert.True(codebook.equal(other.Codebooks[name]).all().item<bool>(), name);
            Assert.True(codebook.equal(_flat.Codebooks[name]).all().item<bool>(), name);
        }
    }

    [Fact]
    public async Task A_sum_that_a_double_cannot_hold_travels_with_its_parts_and_stays_exact()
    {
        var pushes = new[] { Push(_batched, "a", 1, 1e30f), Push(_batched, "b", 1, 1e-30f), Push(_batched, "c", 1, -1e30f) };
        var batch = Batch(pushes.Take(2));
        Assert.NotNull(batch.Parts);
        Assert.All(batch.Parts.Values, p => Assert.NotEmpty(p.Indices));

        var batched = Coordinator(_batched, AggregationMode.Sync, "a", "b", "c");
        var flat = Coordinator(_flat, AggregationMode.Sync, "a", "b", "c");
        var replies = new[] { batched.OfferBatch(batch), batched.OfferBatch(Batch(pushes.Skip(2))) };
        Assert.All(await Task.WhenAll(replies).WaitAsync(TimeSpan.FromSeconds(10)), r => Assert.All(r.Results!, m => Assert.True(m.Accepted)));
        var answers = pushes.Reverse().Select(flat.Offer).ToList();
        Assert.All(await Task.WhenAll(answers).WaitAsync(TimeSpan.FromSeconds(10)), a => Assert.True(a.Accepted));
        foreach (var (name, codebook) in _flat.Codebooks)
        {
            Assert.True(codebook.equal(_batched.Codebooks[name]).all().item<bool>(), name);
        }
    }

    [Fact]
    public async Task A_batch_with_a_refused_or_duplicate_member_is_taken_by_none_and_its_members_push_alone()
    {
        var coordinator = Coordinator(_batched, AggregationMode.Sync, "a", "b");
        var stranger = await Offer(coordinator, [Push(_batched, "a", 1, 0.01f), Push(_batched, "zz", 1, 0.01f)]);
        Assert.Null(stranger.Results);
        Assert.Equal(0, _batched.Version);

        var both = await Offer(coordinator, [Push(_batched, "a", 1, 0.01f), Push(_batched, "b", 1, 0.01f)]);
        Assert.All(both.Results!, r => Assert.True(r.Accepted));
        Assert.Equal(1, _batched.Version);
        var again = await Offer(coordinator, [Push(_batched, "a", 1, 0.01f) with { BaseVersion = 1 }, Push(_batched, "b", 2, 0.01f)]);
        Assert.Null(again.Results);
        Assert.Equal(2, coordinator.AppliedGradients);
    }

    [Fact]
    public async Task A_batch_offered_again_while_its_round_is_open_waits_on_the_same_round_and_counts_once()
    {
        var coordinator = Coordinator(_batched, AggregationMode.Sync, "a", "b", "c");
        var pushes = new[] { Push(_batched, "a", 1, 0.01f), Push(_batched, "b", 1, 0.02f) };
        var first = coordinator.OfferBatch(Batch(pushes));
        var retry = coordinator.OfferBatch(Batch(pushes));
        Assert.False(retry.IsCompleted);
        var last = coordinator.Offer(Push(_batched, "c", 1, 0.03f));
        Assert.True((await last.WaitAsync(TimeSpan.FromSeconds(10))).Accepted);
        Assert.All((await retry.WaitAsync(TimeSpan.FromSeconds(10))).Results!, r => Assert.True(r.Accepted));
        Assert.All((await first.WaitAsync(TimeSpan.FromSeconds(10))).Results!, r => Assert.True(r.Accepted));
        Assert.Equal(3, coordinator.AppliedGradients);
        Assert.Equal(1, _batched.Version);
    }

    [Fact]
    public async Task Async_batch_is_one_update_with_the_members_mean_and_keeps_the_staleness_rule_per_member()
    {
        var batched = Coordinator(_batched, AggregationMode.Async, "a", "b");
        var flat = Coordinator(_flat, AggregationMode.Async, "a", "b");
        var pushes = new[] { Push(_batched, "a", 1, 0.01f), Push(_batched, "b", 1, 0.03f) };
        var reply = await Offer(batched, pushes);
        Assert.All(reply.Results!, r => Assert.True(r.Accepted));
        Assert.Equal(1, _batched.Version);
        Assert.Equal(2, batched.AppliedGradients);

        // The same update as one flat push of the mean.
        using (var scope = NewDisposeScope())
        {
            var mean = _flat.Codebooks.ToDictionary(c => c.Key, c => TensorPayloadConverter.ToPayload(
                TensorPayloadConverter.ToTensor(pushes[0].Gradients[c.Key]).add(TensorPayloadConverter.ToTensor(pushes[1].Gradients[c.Key])).div(2)));
            Assert.True((await flat.Offer(new GradientPush("a", 0, 1, mean))).Accepted);
        }
        foreach (var (name, codebook) in _flat.Codebooks)
        {
            Assert.True(allclose(codebook, _batched.Codebooks[name], rtol: 0, atol: 1e-6), name);
        }

        // Three more versions: a batch computed at version 0 is 3 behind, beyond max staleness 2.
        for (var step = 2; step <= 4; step++)
        {
            Assert.True((await batched.Offer(Push(_batched, "a", step, 0.01f))).Accepted);
        }
        var stale = await Offer(batched, [Push(_batched, "b", 2, 0.01f) with { BaseVersion = 0 }]);
        Assert.Null(stale.Results);
        Assert.Equal(PushRejectCode.TooStale, (await batched.Offer(Push(_batched, "b", 2, 0.01f) with { BaseVersion = 0 })).Code);
    }

    [Fact]
    public async Task Batcher_sums_exactly_as_float64_and_sends_a_push_that_cannot_join_alone()
    {
        var a = Push(_batched, "a", 1, 0.01f);
        var b = Push(_batched, "b", 1, 0.02f);
        var batcher = new GradientBatcher(0);
        var nan = a with
        {
            TaskId = "n",
            Gradients = a.Gradients.ToDictionary(g => g.Key, g => new TensorPayload("float32", g.Value.Shape, BitConverter.GetBytes(float.NaN).Concat(g.Value.Data.Skip(4)).ToArray())),
        };
        var nanAnswer = batcher.Add(nan);
        Assert.True(nanAnswer.IsCompleted);
        Assert.Null(await nanAnswer);
        _ = batcher.Add(b);
        _ = batcher.Add(a);
        var batch = batcher.ToBatch();
        Assert.Equal(["a", "b"], batch.Members.Select(m => m.TaskId));
        Assert.All(batch.Members, m => Assert.Empty(m.Gradients));
        foreach (var (name, sum) in batch.Sum)
        {
            // Two float32 values of similar size: their double sum is exact.
            using var expected = TensorPayloadConverter.ToTensor(a.Gradients[name]).to(float64).add(TensorPayloadConverter.ToTensor(b.Gradients[name]).to(float64));
            using var actual = TensorPayloadConverter.ToTensor(sum);
            Assert.Equal("float64", sum.DType);
            Assert.True(expected.equal(actual).all().item<bool>(), name);
        }
    }

    [Fact]
    public async Task An_async_batch_may_mix_base_versions_within_the_staleness_bound_as_one_update()
    {
        var async = Coordinator(_batched, AggregationMode.Async, "a", "b", "c");
        var older = Push(_batched, "a", 1, 0.01f);
        await Offer(async, [Push(_batched, "b", 1, 0.02f)]);
        var newer = Push(_batched, "c", 1, 0.03f);
        Assert.Equal(older.BaseVersion + 1, newer.BaseVersion);

        var batcher = new GradientBatcher(newer.BaseVersion, mixedVersions: true);
        var answers = new[] { batcher.Add(newer), batcher.Add(older) };
        var batch = batcher.ToBatch();
        Assert.Equal(older.BaseVersion, batch.BaseVersion);
        var version = _batched.Version;
        var reply = await async.OfferBatch(batch);
        batcher.Answer(reply);

        Assert.True(reply.MixedVersions);
        Assert.Equal(version + 1, _batched.Version);
        Assert.All(await Task.WhenAll(answers), r => Assert.True(r!.Accepted));
        Assert.Equal(3, async.AppliedGradients);
    }

    [Fact]
    public async Task A_mixed_batch_is_refused_whole_in_sync_and_when_a_member_is_too_stale_in_async()
    {
        var sync = Coordinator(_flat, AggregationMode.Sync, "a", "b");
        var mixed = new GradientBatcher(0, mixedVersions: true);
        _ = mixed.Add(Push(_flat, "a", 1, 0.01f) with { BaseVersion = 0 });
        _ = mixed.Add(Push(_flat, "b", 1, 0.01f) with { BaseVersion = 1 });
        Assert.Null((await sync.OfferBatch(mixed.ToBatch())).Results);

        var async = Coordinator(_batched, AggregationMode.Async, "a", "b", "c");
        var stale = Push(_batched, "a", 1, 0.01f);
        for (var step = 1; step <= 3; step++)
        {
            await Offer(async, [Push(_batched, "b", step, 0.02f)]);
        }
        var batcher = new GradientBatcher(stale.BaseVersion, mixedVersions: true);
        _ = batcher.Add(Push(_batched, "c", 1, 0.03f));
        _ = batcher.Add(stale);
        var version = _batched.Version;
        Assert.Null((await async.OfferBatch(batcher.ToBatch())).Results);
        Assert.Equal(version, _batched.Version);
    }

    private static GradientBatch Batch(IEnumerable<GradientPush> pushes)
    {
        var batcher = new GradientBatcher(pushes.First().BaseVersion);
        foreach (var push in pushes)
        {
            _ = batcher.Add(push);
        }
        return batcher.ToBatch();
    }

    private sealed class Nothing : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
