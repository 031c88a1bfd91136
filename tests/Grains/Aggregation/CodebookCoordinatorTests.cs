using Accept.GrainInterfaces.Codebooks;
using Accept.Training.Config;
using Accept.GrainInterfaces.Tensors;
using Accept.Grains.Aggregation;
using Accept.Grains.Tensors;
using Accept.Training.Optim;
using Accept.Training.Prompts;
using static TorchSharp.torch;

namespace Accept.Tests.Grains.Aggregation;

/// <summary>The codebook group's protocol without a cluster: rounds, timeouts, rejoining, retries and epochs.</summary>
[Trait("Category", "Fast")]
public sealed class CodebookCoordinatorTests : IDisposable
{
    private static readonly PromptLayout Layout = new PromptLayout { DModel = 16, PromptLength = 3, MaxLength = 6, ScppSubDim = 4, ScppCodebookSize = 3, Added = AddedKind.Scap, AddedSubDim = 8, AddedCodebookSize = 2, AddedRank = 2, AddedAlpha = 8 }.Validated();

    private readonly CodebookGroup _group = new("g", Layout,
        new CodebookGroupOptions(new LinearSchedule(0.3, 0, 100), new LinearSchedule(0.01, 0, 100)), 1);

    /// <summary>Round numbers whose timer the coordinator started, and how many it stopped.</summary>
    private readonly List<long> _timers = [];
    private int _stoppedTimers;

    public void Dispose() => _group.Dispose();

    private CodebookCoordinator Coordinator(AggregationMode mode = AggregationMode.Sync, CodebookCoordinatorState? state = null, int checkpointEvery = 0) =>
        new(_group, new CodebookRules(mode, 2, checkpointEvery), state ?? CodebookCoordinatorState.New(["a", "b"]), round =>
        {
            _timers.Add(round);
            return new Stopper(() => _stoppedTimers++);
        });

    private Dictionary<string, TensorPayload> Gradients(float value = 0.01f)
    {
        using var scope = NewDisposeScope();
        return _group.Codebooks.ToDictionary(c => c.Key, c => TensorPayloadConverter.ToPayload(full_like(c.Value, value)));
    }

    private GradientPush Push(string task, long step, Guid epoch = default, long? baseVersion = null) =>
        new(task, baseVersion ?? _group.Version, step, Gradients(), Epoch: epoch);

    [Fact]
    public void A_sync_round_closes_when_every_member_reported_and_answers_everyone_with_the_new_codebooks()
    {
        using var coordinator = Coordinator(checkpointEvery: 1);

        var a = coordinator.Offer(Push("a", 1));
        Assert.False(a.IsCompleted);
        Assert.Equal([0L], _timers);
        Assert.Equal(1, coordinator.Status().PendingPushes);
        Assert.False(coordinator.TakeSaveDue());
        var b = coordinator.Offer(Push("b", 1, baseVersion: 0));

                Assert.Equal((true, 1L, 1L), (Done(a).Accepted, Done(a).Version, Done(a).Snapshot!.Version));
        Assert.NotNull(Done(b).Snapshot!.Tensors);
        Assert.Equal(1, _stoppedTimers);
        Assert.True(coordinator.TakeSaveDue());
        Assert.Equal((2L, 1L), (coordinator.AppliedGradients, coordinator.Rounds));
    }

    [Fact]
    public void A_round_whose_member_vanished_closes_at_its_timeout_and_takes_the_member_back_when_it_rejoins()
    {
        using var coordinator = Coordinator();
        var a = coordinator.Offer(Push("a", 1));

        Assert.Empty(coordinator.TimeOut(round: 7));
        Assert.False(a.IsCompleted);
        Assert.Equal(["b"], coordinator.TimeOut(_timers.Single()));

        Assert.Equal((true, 1L), (Done(a).Accepted, Done(a).Version));
        Assert.Equal(["a"], coordinator.Members);
        var late = Done(coordinator.Offer(Push("b", 1, baseVersion: 0)));
        Assert.Equal(PushRejectCode.TooStale, late.Code);
        Assert.Contains("dropped", late.RejectReason);

        var joined = coordinator.Join("b");
        Assert.Equal(1, joined.Version);
        var nextA = coordinator.Offer(Push("a", 2));
        Assert.False(nextA.IsCompleted);
        var nextB = coordinator.Offer(Push("b", 2));
        Assert.True(Done(nextA).Accepted && Done(nextB).Accepted);
        Assert.Equal(2, coordinator.Version);
        Assert.Equal(new Dictionary<string, long> { ["a"] = 2, ["b"] = 2 }, coordinator.Status().LastSteps);
    }

    [Fact]
    public void A_push_offered_again_waits_on_the_same_round_and_is_counted_once()
    {
        using var coordinator = Coordinator();
        var epoch = Guid.NewGuid();
        coordinator.Join("a", epoch);

        var first = coordinator.Offer(Push("a", 1, epoch));
        var again = coordinator.Offer(Push("a", 1, epoch));
        Assert.Same(first, again);
        coordinator.Offer(Push("b", 1));
        var afterClose = Done(coordinator.Offer(Push("a", 1, epoch, baseVersion: 0)));

        Assert.Equal(Done(first), afterClose);
        Assert.Equal(2, coordinator.AppliedGradients);
        Assert.Equal(1, coordinator.Version);
        Assert.Equal(2, coordinator.Status().AcceptedPushes);
    }

    [Fact]
    public void A_push_from_an_activation_a_newer_one_replaced_is_refused_and_changes_nothing()
    {
        using var coordinator = Coordinator(AggregationMode.Async);
        var old = Guid.NewGuid();
        var current = Guid.NewGuid();
        coordinator.Join("a", old);
        coordinator.Join("a", current);

        var stale = Done(coordinator.Offer(Push("a", 1, old)));

        Assert.Equal(PushRejectCode.Superseded, stale.Code);
        Assert.Equal(0, coordinator.Version);
        Assert.Equal(0, coordinator.AppliedGradients);
        Assert.True(Done(coordinator.Offer(Push("a", 1, current))).Accepted);
        Assert.Equal(1, coordinator.Version);
    }

    [Fact]
    public void Steps_applied_before_a_restart_are_duplicates_and_still_close_the_round()
    {
        var restored = new CodebookCoordinatorState(["a", "b"], new Dictionary<string, long> { ["a"] = 5 }, 10, 5, false);
        using var coordinator = Coordinator(state: restored);

        var repeat = coordinator.Offer(Push("a", 5));
        var fresh = Done(coordinator.Offer(Push("b", 6)));

        Assert.Equal(PushRejectCode.Duplicate, Done(repeat).Code);
        Assert.NotNull(Done(repeat).Snapshot);
        Assert.True(fresh.Accepted);
        Assert.Equal((11L, 6L), (coordinator.AppliedGradients, coordinator.Rounds));
    }

    [Fact]
    public void Leaving_closes_a_round_that_waited_only_for_the_leaver_and_closing_answers_every_waiting_push()
    {
        using var coordinator = Coordinator();
        var a = coordinator.Offer(Push("a", 1));
        coordinator.Leave("b");
        Assert.True(Done(a).Accepted);

        coordinator.Join("b");
        var waiting = coordinator.Offer(Push("a", 2));
        coordinator.Close();

        Assert.Equal(PushRejectCode.Closed, Done(waiting).Code);
        Assert.Equal(PushRejectCode.Closed, Done(coordinator.Offer(Push("b", 2))).Code);
        Assert.True(coordinator.TakeSaveDue());
        Assert.True(coordinator.State().Closed);
    }

    [Fact]
    public void Async_pushes_apply_on_arrival_until_they_are_more_than_max_staleness_old()
    {
        using var coordinator = Coordinator(AggregationMode.Async, checkpointEvery: 2);
        Assert.True(Done(coordinator.Offer(Push("a", 1))).Accepted);
        Assert.False(coordinator.TakeSaveDue());
        Assert.True(Done(coordinator.Offer(Push("a", 2))).Accepted);
        Assert.True(coordinator.TakeSaveDue());
        Assert.True(Done(coordinator.Offer(Push("a", 3))).Accepted);

        var tooOld = Done(coordinator.Offer(Push("b", 1, baseVersion: 0)));

        Assert.Equal(PushRejectCode.TooStale, tooOld.Code);
        Assert.Equal(3, coordinator.Version);
        Assert.Empty(_timers);
    }

    /// <summary>The answer of a push the protocol has already answered (it never blocks: every method is synchronous).</summary>
    private static PushResult Done(Task<PushResult> answer)
    {
        Assert.True(answer.IsCompletedSuccessfully, "the push is still waiting");
        return answer.GetAwaiter().GetResult();
    }

    private sealed class Stopper(Action stop) : IDisposable
    {
        public void Dispose() => stop();
    }
}
