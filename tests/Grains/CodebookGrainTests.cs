using System.Runtime.InteropServices;
using Accept.GrainInterfaces;
using Accept.GrainInterfaces.Codebooks;
using Accept.Training.Config;
using Accept.GrainInterfaces.Tensors;

namespace Accept.Tests.Grains;

/// <summary>The codebook grain's aggregation rules, driven directly with hand-made pushes.</summary>
[Trait("Category", "Cluster")]
[Collection(GrainClusterCollection.Name)]
public sealed class CodebookGrainTests(GrainClusterFixture fixture)
{
    private async Task<(ICodebookGrain Grain, CodebookSnapshot Snapshot)> Group(string job, AggregationMode mode, int maxStaleness = 4, string extraTask = "")
    {
        var grain = fixture.Client.GetGrain<ICodebookGrain>(GrainKeys.Codebook(job, "shared"));
        var modeName = mode == AggregationMode.Async ? "async" : "sync";
        var spec = extraTask.Length > 0
            ? fixture.Run.Spec(mode: modeName, maxStaleness: maxStaleness, checkpointEvery: 0, extraTasks: [extraTask])
            : fixture.Run.Spec(mode: modeName, maxStaleness: maxStaleness, checkpointEvery: 0);
        await grain.Initialize(new CodebookGroupSpec(job, "shared", spec, TimeSpan.FromSeconds(GrainClusterFixture.RoundTimeoutSeconds)));
        return (grain, await grain.GetSnapshot(-1));
    }

    private static Dictionary<string, TensorPayload> Gradients(CodebookSnapshot snapshot, float value = 0.01f) =>
        snapshot.Tensors!.ToDictionary(t => t.Key, t =>
        {
            var count = (int)t.Value.Shape.Aggregate(1L, (a, b) => a * b);
            var floats = Enumerable.Repeat(value, count).ToArray();
            return new TensorPayload("float32", t.Value.Shape, MemoryMarshal.AsBytes(floats.AsSpan()).ToArray());
        });

    private static GradientPush Push(string task, long version, long step, IReadOnlyDictionary<string, TensorPayload> gradients) =>
        new(task, version, step, gradients);

    [Fact]
    public async Task Every_bad_push_is_rejected_with_its_code_and_changes_nothing()
    {
        var (grain, snapshot) = await Group("cb-reject", AggregationMode.Async);
        await grain.Join("parity");
        var good = Gradients(snapshot);
        var (name, codebook) = good.First();
        var wrongShape = new Dictionary<string, TensorPayload>(good) { [name] = codebook with { Shape = [.. codebook.Shape.Reverse().Append(1)] } };
        var wrongDType = new Dictionary<string, TensorPayload>(good) { [name] = new TensorPayload("float64", codebook.Shape, new byte[codebook.Data.Length * 2]) };
        var nan = (byte[])codebook.Data.Clone();
        BitConverter.GetBytes(float.NaN).CopyTo(nan, 4);
        var withNaN = new Dictionary<string, TensorPayload>(good) { [name] = codebook with { Data = nan } };
        var inf = (byte[])codebook.Data.Clone();
        BitConverter.GetBytes(float.PositiveInfinity).CopyTo(inf, 0);
        var withInf = new Dictionary<string, TensorPayload>(good) { [name] = codebook with { Data = inf } };

        var cases = new (GradientPush Push, PushRejectCode Code)[]
        {
            (Push("parity", 0, 1, wrongShape), PushRejectCode.WrongShape),
            (Push("parity", 0, 1, wrongDType), PushRejectCode.WrongDType),
            (Push("parity", 0, 1, withNaN), PushRejectCode.NonFinite),
            (Push("parity", 0, 1, withInf), PushRejectCode.NonFinite),
            (Push("nobody", 0, 1, good), PushRejectCode.UnknownTask),
            (Push("parity", 5, 1, good), PushRejectCode.FutureVersion),
        };
        foreach (var (push, code) in cases)
        {
            var result = await grain.PushGradient(push);
            Assert.False(result.Accepted);
            Assert.Equal(code, result.Code);
            Assert.False(string.IsNullOrWhiteSpace(result.RejectReason));
        }
        var after = await grain.GetSnapshot(-1);
        Assert.Equal(0, after.Version);
        Assert.All(snapshot.Tensors!, t => Assert.Equal(t.Value.Data, after.Tensors![t.Key].Data));

        Assert.True((await grain.PushGradient(Push("parity", 0, 1, good))).Accepted);
        await grain.Close();
        var closed = await grain.PushGradient(Push("parity", 1, 2, good));
        var status = await grain.GetStatus();

        Assert.Equal(PushRejectCode.Closed, closed.Code);
        Assert.Equal(1, status.Version);
        Assert.Equal(1, status.AppliedGradients);
        Assert.Equal(cases.Length + 1, status.RejectedPushes);
    }

    [Fact]
    public async Task Async_pushes_apply_on_arrival_and_stale_ones_are_rejected_per_max_staleness()
    {
        var (grain, snapshot) = await Group("cb-async", AggregationMode.Async, maxStaleness: 1);
        await grain.Join("parity");
        await grain.Join("topic");
        var g = Gradients(snapshot);

        var first = await grain.PushGradient(Push("parity", 0, 1, g));
        var second = await grain.PushGradient(Push("parity", 1, 2, g));
        var tooOld = await grain.PushGradient(Push("topic", 0, 1, g));
        var oneBehind = await grain.PushGradient(Push("topic", 1, 1, g));
        var changed = await grain.GetSnapshot(0);

        Assert.Equal((true, 1L), (first.Accepted, first.Version));
        Assert.Equal((true, 2L), (second.Accepted, second.Version));
        Assert.Equal(PushRejectCode.TooStale, tooOld.Code);
        Assert.Contains("2 versions old", tooOld.RejectReason);
        Assert.Equal((true, 3L), (oneBehind.Accepted, oneBehind.Version));
        Assert.Equal(3, changed.Version);
        Assert.NotEqual(snapshot.Tensors!.First().Value.Data, changed.Tensors!.First().Value.Data);
        Assert.Null((await grain.GetSnapshot(3)).Tensors);
    }

    [Fact]
    public async Task A_new_task_joins_a_running_async_group_and_its_pushes_count()
    {
        var (grain, snapshot) = await Group("cb-onboard", AggregationMode.Async);
        await grain.Join("parity");
        var g = Gradients(snapshot);
        await grain.PushGradient(Push("parity", 0, 1, g));
        await grain.PushGradient(Push("parity", 1, 2, g));

        var before = await grain.PushGradient(Push("newcomer", 2, 1, g));
        var joined = await grain.Join("newcomer");
        var after = await grain.PushGradient(Push("newcomer", joined.Version, 1, g));

        Assert.Equal(PushRejectCode.UnknownTask, before.Code);
        Assert.Equal(2, joined.Version);
        Assert.NotNull(joined.Tensors);
        Assert.True(after.Accepted);
        Assert.Contains("newcomer", (await grain.GetStatus()).Members);
    }

    [Fact]
    public async Task Sync_round_closes_when_every_member_pushed_and_repeated_steps_are_not_counted_twice()
    {
        var (grain, snapshot) = await Group("cb-sync", AggregationMode.Sync);
        var g = Gradients(snapshot);

        var parity = grain.PushGradient(Push("parity", 0, 1, g));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while ((await grain.GetStatus()).PendingPushes < 1 && DateTime.UtcNow < deadline) await Task.Yield();
        Assert.Equal(1, (await grain.GetStatus()).PendingPushes);
        Assert.False(parity.IsCompleted);
        var topic = await grain.PushGradient(Push("topic", 0, 1, g));
        var first = await parity;

        Assert.Equal((true, 1L), (first.Accepted, first.Version));
        Assert.Equal((true, 1L), (topic.Accepted, topic.Version));

        // "parity" restarted from an older checkpoint: its step 1 again is a duplicate; "topic" goes on.
        var repeat = grain.PushGradient(Push("parity", 1, 1, g));
        var next = await grain.PushGradient(Push("topic", 1, 2, g));
        var repeated = await repeat;
        var status = await grain.GetStatus();

        Assert.Equal(PushRejectCode.Duplicate, repeated.Code);
        Assert.True(next.Accepted);
        Assert.Equal(3, status.AppliedGradients);
        Assert.Equal(2, status.Version);
        Assert.Equal(new Dictionary<string, long> { ["parity"] = 1, ["topic"] = 2 }, status.LastSteps);
    }

    [Fact]
    public async Task A_push_answer_carries_the_codebooks_the_push_left_the_group_at()
    {
        var (grain, snapshot) = await Group("cb-carry", AggregationMode.Sync);
        var g = Gradients(snapshot);

        var parity = grain.PushGradient(Push("parity", 0, 1, g));
        var topic = await grain.PushGradient(Push("topic", 0, 1, g));
        var first = await parity;
        var pulled = await grain.GetSnapshot(0);

        // Both waiting members get the closed round's codebooks: the same bytes a pull returns.
        foreach (var result in new[] { first, topic })
        {
            Assert.Equal(1, result.Snapshot!.Version);
            Assert.Equal(pulled.Tensors!.Keys.Order(), result.Snapshot.Tensors!.Keys.Order());
            Assert.All(pulled.Tensors, t => Assert.Equal(t.Value.Data, result.Snapshot.Tensors[t.Key].Data));
        }

        // A duplicate still answers with the group's codebooks; a rejection without a round carries none.
        var repeat = grain.PushGradient(Push("parity", 1, 1, g));
        await grain.PushGradient(Push("topic", 1, 2, g));
        var repeated = await repeat;
        var stranger = await grain.PushGradient(Push("stranger", 2, 1, g));
        var second = await grain.GetSnapshot(1);

        Assert.Equal(PushRejectCode.Duplicate, repeated.Code);
        Assert.Equal(2, repeated.Snapshot!.Version);
        Assert.All(second.Tensors!, t => Assert.Equal(t.Value.Data, repeated.Snapshot.Tensors![t.Key].Data));
        Assert.Equal(PushRejectCode.UnknownTask, stranger.Code);
        Assert.Null(stranger.Snapshot);
    }

    [Fact]
    public async Task A_member_that_never_pushes_is_dropped_after_the_round_timeout_and_rejoins()
    {
        var (grain, snapshot) = await Group("cb-timeout", AggregationMode.Sync);
        var g = Gradients(snapshot);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var alone = await grain.PushGradient(Push("parity", 0, 1, g));
        var waited = watch.Elapsed;
        var late = await grain.PushGradient(Push("topic", 0, 1, g));
        var rejoined = await grain.Join("topic");
        var parityNext = grain.PushGradient(Push("parity", 1, 2, g));
        var topicNext = await grain.PushGradient(Push("topic", rejoined.Version, 2, g));

        Assert.True(alone.Accepted);
        Assert.InRange(waited.TotalSeconds, GrainClusterFixture.RoundTimeoutSeconds * 0.9, GrainClusterFixture.RoundTimeoutSeconds * 5);
        Assert.Equal(PushRejectCode.TooStale, late.Code);
        Assert.True(topicNext.Accepted);
        Assert.Equal(2, (await parityNext).Version);
    }

    [Fact]
    public async Task A_reactivated_group_restores_its_checkpoint_and_still_refuses_steps_it_applied()
    {
        var grain = fixture.Client.GetGrain<ICodebookGrain>(GrainKeys.Codebook("cb-restore", "shared"));
        await grain.Initialize(new CodebookGroupSpec("cb-restore", "shared", fixture.Run.Spec(checkpointEvery: 1), TimeSpan.FromSeconds(30)));
        var g = Gradients(await grain.GetSnapshot(-1));
        var parity = grain.PushGradient(Push("parity", 0, 1, g));
        await grain.PushGradient(Push("topic", 0, 1, g));
        await parity;
        var before = await grain.GetSnapshot(-1);

        await fixture.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var restored = await grain.GetStatus();
        var snapshot = await grain.GetSnapshot(0);
        var repeat = grain.PushGradient(Push("parity", 1, 1, g));
        var fresh = await grain.PushGradient(Push("topic", 1, 2, g));

        Assert.Equal(1, restored.Version);
        Assert.Equal(0, restored.AcceptedPushes);
        Assert.Equal(2, restored.AppliedGradients);
        Assert.Equal(new Dictionary<string, long> { ["parity"] = 1, ["topic"] = 1 }, restored.LastSteps);
        Assert.All(before.Tensors!, t => Assert.Equal(t.Value.Data, snapshot.Tensors![t.Key].Data));
        Assert.Equal(PushRejectCode.Duplicate, (await repeat).Code);
        Assert.True(fresh.Accepted);
    }

    [Fact]
    public async Task A_reactivated_group_between_its_checkpoints_comes_back_at_the_version_its_tasks_last_saw()
    {
        // checkpoint_every 100: no interval checkpoint after round 0, so only the per-round state can bring version 2 back.
        var grain = fixture.Client.GetGrain<ICodebookGrain>(GrainKeys.Codebook("cb-rounds", "shared"));
        await grain.Initialize(new CodebookGroupSpec("cb-rounds", "shared", fixture.Run.Spec(checkpointEvery: 100), TimeSpan.FromSeconds(30)));
        var g = Gradients(await grain.GetSnapshot(-1));
        for (var step = 1; step <= 2; step++)
        {
            var parity = grain.PushGradient(Push("parity", step - 1, step, g));
            var seen = await grain.PushGradient(Push("topic", step - 1, step, g));
            Assert.Equal(step, seen.Version);
            Assert.Equal(step, (await parity).Version);
        }
        var before = await grain.GetSnapshot(-1);

        await fixture.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var restored = await grain.GetStatus();
        var snapshot = await grain.GetSnapshot(-1);

        Assert.Equal(2, restored.Version);
        Assert.Equal(new Dictionary<string, long> { ["parity"] = 2, ["topic"] = 2 }, restored.LastSteps);
        Assert.All(before.Tensors!, t => Assert.Equal(t.Value.Data, snapshot.Tensors![t.Key].Data));
    }

    [Fact]
    public async Task A_member_that_leaves_no_longer_blocks_the_round()
    {
        var (grain, snapshot) = await Group("cb-leave", AggregationMode.Sync);
        var g = Gradients(snapshot);

        var parity = grain.PushGradient(Push("parity", 0, 1, g));
        await grain.Leave("topic");
        var result = await parity.WaitAsync(TimeSpan.FromSeconds(GrainClusterFixture.RoundTimeoutSeconds / 2));

        Assert.Equal((true, 1L), (result.Accepted, result.Version));
        Assert.Equal(["parity"], (await grain.GetStatus()).Members);
    }
}
