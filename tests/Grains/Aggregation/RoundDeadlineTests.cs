using Accept.GrainInterfaces.Codebooks;
using Accept.Training.Config;
using Accept.Grains.Aggregation;
using Accept.Grains.Tensors;
using Accept.Training.Optim;
using Accept.Training.Prompts;
using static TorchSharp.torch;

namespace Accept.Tests.Grains.Aggregation;

/// <summary>Sync rounds with a deadline: a straggler's gradient goes into the next round with staleness 1, an older one is refused.</summary>
[Trait("Category", "Fast")]
public sealed class RoundDeadlineTests : IDisposable
{
    private static readonly PromptLayout Layout = new PromptLayout { DModel = 16, PromptLength = 3, MaxLength = 6, ScppSubDim = 4, ScppCodebookSize = 3, Added = AddedKind.Scap, AddedSubDim = 8, AddedCodebookSize = 2, AddedRank = 2, AddedAlpha = 8 }.Validated();

    private readonly CodebookGroup _group = new("g", Layout, new CodebookGroupOptions(new LinearSchedule(0.3, 0, 100), new LinearSchedule(0.01, 0, 100)), 1);
    private readonly List<long> _deadlines = [];

    public void Dispose() => _group.Dispose();

    private CodebookCoordinator Coordinator(TimeSpan? deadline) =>
        new(_group, new CodebookRules(AggregationMode.Sync, 2, 0, deadline), CodebookCoordinatorState.New(["a", "b", "s"]), _ => new Nothing(),
            startDeadlineTimer: round =>
            {
                _deadlines.Add(round);
                return new Nothing();
            });

    private GradientPush Push(string task, long step, long baseVersion)
    {
        using var scope = NewDisposeScope();
        return new GradientPush(task, baseVersion, step, _group.Codebooks.ToDictionary(c => c.Key, c => TensorPayloadConverter.ToPayload(full_like(c.Value, 0.01f))),
            Epoch: new Guid(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(task))));
    }

    [Fact]
    public async Task A_round_closes_at_its_deadline_and_the_stragglers_gradient_counts_once_in_the_next_round()
    {
        var coordinator = Coordinator(TimeSpan.FromMilliseconds(100));
        var a = coordinator.Offer(Push("a", 1, 0));
        var b = coordinator.Offer(Push("b", 1, 0));
        Assert.Equal([0L], _deadlines);
        Assert.False(a.IsCompleted);

        Assert.Equal(["s"], coordinator.Deadline(0));
        Assert.True((await a.WaitAsync(TimeSpan.FromSeconds(10))).Accepted);
        Assert.True((await b.WaitAsync(TimeSpan.FromSeconds(10))).Accepted);
        Assert.Equal(1, _group.Version);
        Assert.Equal(2, coordinator.AppliedGradients);
        Assert.Equal(["s"], coordinator.Late);

        // Round 1: the straggler's step-1 gradient (base version 0) is its contribution, staleness 1.
        var late = coordinator.Offer(Push("s", 1, 0));
        var a2 = coordinator.Offer(Push("a", 2, 1));
        var b2 = coordinator.Offer(Push("b", 2, 1));
        var answer = await late.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(answer.Accepted);
        Assert.True((await a2.WaitAsync(TimeSpan.FromSeconds(10))).Accepted);
        Assert.True((await b2.WaitAsync(TimeSpan.FromSeconds(10))).Accepted);
        Assert.Equal(2, _group.Version);
        Assert.Equal(5, coordinator.AppliedGradients);
        Assert.Empty(coordinator.Late);
        Assert.Equal(2, answer.Snapshot!.Version);

        // The same push again is answered as before, never counted twice.
        Assert.True((await coordinator.Offer(Push("s", 1, 0))).Accepted);
        Assert.Equal(5, coordinator.AppliedGradients);
    }

    [Fact]
    public async Task A_silos_batch_of_stragglers_goes_into_the_next_round_as_one_batch()
    {
        var coordinator = Coordinator(TimeSpan.FromMilliseconds(100));
        var a = coordinator.Offer(Push("a", 1, 0));
        Assert.Equal(["b", "s"], coordinator.Deadline(0));
        Assert.True((await a.WaitAsync(TimeSpan.FromSeconds(10))).Accepted);

        // b and s computed against version 0; one silo's batch of both is round 1's contribution of both.
        var batcher = new GradientBatcher(0);
        var answers = new[] { batcher.Add(Push("b", 1, 0)), batcher.Add(Push("s", 1, 0)) };
        var reply = coordinator.OfferBatch(batcher.ToBatch());
        Assert.Empty(coordinator.Late);
        var a2 = coordinator.Offer(Push("a", 2, 1));
        var result = await reply.WaitAsync(TimeSpan.FromSeconds(10));
        batcher.Answer(result);
        Assert.NotNull(result.Results);
        Assert.All(await Task.WhenAll(answers), r => Assert.True(r!.Accepted));
        Assert.True((await a2.WaitAsync(TimeSpan.FromSeconds(10))).Accepted);
        Assert.Equal(2, _group.Version);
        Assert.Equal(4, coordinator.AppliedGradients);
    }

    [Fact]
    public async Task A_gradient_two_versions_old_is_refused_and_a_deadline_with_no_gradient_closes_nothing()
    {
        var coordinator = Coordinator(TimeSpan.FromMilliseconds(100));
        Assert.Empty(coordinator.Deadline(0));
        _ = coordinator.Offer(Push("a", 1, 0));
        _ = coordinator.Offer(Push("b", 1, 0));
        coordinator.Deadline(0);
        _ = coordinator.Offer(Push("a", 2, 1));
        _ = coordinator.Offer(Push("b", 2, 1));
        Assert.Equal(["s"], coordinator.Deadline(1));
        Assert.Equal(2, _group.Version);

        var tooOld = await coordinator.Offer(Push("s", 1, 0));
        Assert.False(tooOld.Accepted);
        Assert.Equal(PushRejectCode.TooStale, tooOld.Code);
        Assert.Equal(4, coordinator.AppliedGradients);
    }

    [Fact]
    public async Task Without_a_deadline_a_round_waits_for_every_member()
    {
        var coordinator = Coordinator(deadline: null);
        var a = coordinator.Offer(Push("a", 1, 0));
        _ = coordinator.Offer(Push("b", 1, 0));
        Assert.Empty(_deadlines);
        Assert.False(a.IsCompleted);
        _ = coordinator.Offer(Push("s", 1, 0));
        Assert.True((await a.WaitAsync(TimeSpan.FromSeconds(10))).Accepted);
        Assert.Equal(1, _group.Version);
    }

    private sealed class Nothing : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
