using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Accept.GrainInterfaces.Codebooks;
using Accept.GrainInterfaces.Tensors;
using Accept.Grains.Aggregation;
using Accept.Grains.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Accept.Tests.Grains.Aggregation;

/// <summary>
/// A silo's aggregator against a scripted codebook group: when windows close, which pushes share a batch, and
/// that an async group's next batch waits for the previous answer while a sync group's never waits.
/// </summary>
[Trait("Category", "Fast")]
public sealed class SiloAggregatorTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    /// <summary>The codebook group's side: records every batch and answers it when the test says.</summary>
    private sealed class ScriptedGroup(bool async)
    {
        private readonly ConcurrentQueue<(GradientBatch Batch, TaskCompletionSource Release)> _offered = new();
        private readonly SemaphoreSlim _arrived = new(0);
        private long _version;

        public bool AnswerAtOnce { get; set; } = true;

        public async Task<BatchPushResult> PushBatch(string group, GradientBatch batch)
        {
            var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (AnswerAtOnce)
            {
                release.SetResult();
            }
            _offered.Enqueue((batch, release));
            _arrived.Release();
            await release.Task;
            var version = Interlocked.Increment(ref _version);
            var snapshot = new CodebookSnapshot(version, new Dictionary<string, TensorPayload>());
            return new BatchPushResult(batch.Members.Select(_ => new PushResult(true, version, PushRejectCode.None, null)).ToList(), snapshot, MixedVersions: async);
        }

        /// <summary>The next batch offered (waits for it).</summary>
        public async Task<(GradientBatch Batch, TaskCompletionSource Release)> Next()
        {
            Assert.True(await _arrived.WaitAsync(Wait), "no batch was offered");
            Assert.True(_offered.TryDequeue(out var next));
            return next;
        }

        public int Waiting => _offered.Count;
    }

    private static SiloAggregator Aggregator(ScriptedGroup group, double windowMs) =>
        new(group.PushBatch, Options.Create(new AcceptSiloOptions { AggregationWindowMs = windowMs }), NullLogger.Instance);

    private static GradientPush Push(string task, long baseVersion, long step = 1) =>
        new(task, baseVersion, step, new Dictionary<string, TensorPayload>
        {
            ["scpp"] = new("float32", [2], MemoryMarshal.AsBytes(new[] { 0.5f, -0.25f }.AsSpan()).ToArray()),
        });

    private static string[] Members(GradientBatch batch) => batch.Members.Select(m => m.TaskId).Order().ToArray();

    [Fact]
    public async Task Pushes_within_a_window_go_as_one_batch_and_every_task_gets_the_shared_snapshot()
    {
        var group = new ScriptedGroup(async: false);
        var aggregator = Aggregator(group, windowMs: 200);

        var answers = new[] { aggregator.Push("g", Push("a", 0)), aggregator.Push("g", Push("b", 0)) };
        var (batch, _) = await group.Next();
        var results = await Task.WhenAll(answers).WaitAsync(Wait);

        Assert.Equal(["a", "b"], Members(batch));
        Assert.All(results, r => Assert.True(r!.Accepted));
        Assert.Same(results[0]!.Snapshot, results[1]!.Snapshot);
    }

    [Fact]
    public async Task A_window_closes_as_soon_as_every_task_of_the_previous_batch_pushed_again()
    {
        var group = new ScriptedGroup(async: false);
        var options = new AcceptSiloOptions { AggregationWindowMs = 50 };
        var aggregator = new SiloAggregator(group.PushBatch, Options.Create(options), NullLogger.Instance);
        await Task.WhenAll(aggregator.Push("g", Push("a", 0)), aggregator.Push("g", Push("b", 0))).WaitAsync(Wait);
        await group.Next();

        // A ten-minute idle window from now on: only "everyone of the last batch is in" can close it within the wait.
        options.AggregationWindowMs = 600_000;
        var next = new[] { aggregator.Push("g", Push("b", 1, 2)), aggregator.Push("g", Push("a", 1, 2)) };
        var (batch, _) = await group.Next();

        Assert.Equal(["a", "b"], Members(batch));
        await Task.WhenAll(next).WaitAsync(Wait);
    }

    [Fact]
    public async Task An_async_groups_next_batch_waits_for_the_previous_answer_and_mixes_versions()
    {
        var group = new ScriptedGroup(async: true);
        var aggregator = Aggregator(group, windowMs: 5);
        // The first answer tells the silo that the group is async.
        await aggregator.Push("g", Push("a", 0)).WaitAsync(Wait);
        await group.Next();

        group.AnswerAtOnce = false;
        var b = aggregator.Push("g", Push("b", 1));
        var (first, release) = await group.Next();
        var c = aggregator.Push("g", Push("c", 1));
        var d = aggregator.Push("g", Push("d", 0));
        // Not synchronisation: forty windows pass, and the batch must still be held behind the unanswered one.
        await Task.Delay(200);
        Assert.Equal(0, group.Waiting);
        Assert.False(c.IsCompleted || d.IsCompleted);

        group.AnswerAtOnce = true;
        release.SetResult();
        var (second, _) = await group.Next();
        await Task.WhenAll(b, c, d).WaitAsync(Wait);

        Assert.Equal(["b"], Members(first));
        Assert.Equal(["c", "d"], Members(second));
        Assert.Equal(0, second.BaseVersion);
    }

    [Fact]
    public async Task A_sync_groups_batches_never_wait_for_each_other()
    {
        var group = new ScriptedGroup(async: false) { AnswerAtOnce = false };
        var aggregator = Aggregator(group, windowMs: 5);

        var round = aggregator.Push("g", Push("a", 1));
        var (held, release) = await group.Next();
        // A straggler's push for the version before goes on while the round's batch waits for its answer.
        var straggler = aggregator.Push("g", Push("b", 0));
        var (late, releaseLate) = await group.Next();

        Assert.Equal(1, held.BaseVersion);
        Assert.Equal(0, late.BaseVersion);
        release.SetResult();
        releaseLate.SetResult();
        await Task.WhenAll(round, straggler).WaitAsync(Wait);
    }
}
