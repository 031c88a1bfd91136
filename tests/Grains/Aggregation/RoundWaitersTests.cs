using Accept.GrainInterfaces.Codebooks;
using Accept.GrainInterfaces.Tensors;
using Accept.Grains.Aggregation;

namespace Accept.Tests.Grains.Aggregation;

[Trait("Category", "Fast")]
public sealed class RoundWaitersTests
{
    private static readonly Guid Epoch = Guid.NewGuid();

    private static GradientPush Push(string task, long step, Guid epoch = default) =>
        new(task, BaseVersion: 3, step, new Dictionary<string, TensorPayload>(), Skipped: true, epoch == default ? Epoch : epoch);

    [Fact]
    public void The_same_push_offered_again_waits_on_the_first_ones_answer_and_another_step_does_not()
    {
        var waiters = new RoundWaiters();
        var member = waiters.Wait(new PendingPush(Push("a", 5), Duplicate: false));
        var late = waiters.WaitLate(new PendingPush(Push("b", 9), Duplicate: false));

        Assert.Same(member, waiters.Retried(Push("a", 5)));
        Assert.Same(late, waiters.Retried(Push("b", 9)));
        Assert.Null(waiters.Retried(Push("a", 6)));
        Assert.Null(waiters.Retried(Push("a", 5, Guid.NewGuid())));
        Assert.Equal(1, waiters.Count);
        Assert.Equal(["a"], waiters.Tasks);
    }

    [Fact]
    public void Taking_all_hands_over_members_by_task_and_late_joiners_and_leaves_none_waiting()
    {
        var waiters = new RoundWaiters();
        waiters.Wait(new PendingPush(Push("a", 5), Duplicate: true));
        waiters.WaitLate(new PendingPush(Push("b", 9), Duplicate: false));

        var (members, late) = waiters.TakeAll();

        Assert.True(members["a"].Duplicate);
        Assert.Equal("b", late.Single().Push.TaskId);
        Assert.Equal(0, waiters.Count);
        Assert.Null(waiters.Retried(Push("b", 9)));
    }

    [Fact]
    public async Task Answering_all_completes_every_waiting_push_with_its_own_answer()
    {
        var waiters = new RoundWaiters();
        var a = waiters.Wait(new PendingPush(Push("a", 5), Duplicate: false));
        var b = waiters.WaitLate(new PendingPush(Push("b", 9), Duplicate: false));

        waiters.AnswerAll(push => new PushResult(false, push.Step, PushRejectCode.Closed, push.TaskId));

        Assert.Equal(("a", 5L), ((await a).RejectReason, (await a).Version));
        Assert.Equal(("b", 9L), ((await b).RejectReason, (await b).Version));
        Assert.Equal(0, waiters.Count);
    }
}
