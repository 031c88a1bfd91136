using Accept.GrainInterfaces.Codebooks;
using Accept.Grains.Tasks;
using Polly;

namespace Accept.Tests.Grains.Tasks;

/// <summary>What a task does about a rejected push, and which call errors it retries.</summary>
[Trait("Category", "Fast")]
public sealed class TaskFaultRulesTests
{
    [Theory]
    [InlineData(PushRejectCode.Closed, true, PushRejection.Stop)]
    [InlineData(PushRejectCode.Superseded, true, PushRejection.Retire)]
    [InlineData(PushRejectCode.Duplicate, true, PushRejection.Ignore)]
    [InlineData(PushRejectCode.TooStale, true, PushRejection.Rejoin)]
    [InlineData(PushRejectCode.UnknownTask, true, PushRejection.Rejoin)]
    [InlineData(PushRejectCode.FutureVersion, true, PushRejection.Rejoin)]
    [InlineData(PushRejectCode.TooStale, false, PushRejection.Ignore)]
    [InlineData(PushRejectCode.WrongShape, true, PushRejection.Fail)]
    [InlineData(PushRejectCode.NonFinite, true, PushRejection.Fail)]
    public void Each_rejection_code_has_one_response(PushRejectCode code, bool running, PushRejection expected) =>
        Assert.Equal(expected, PushRejections.Decide(code, running));

    [Fact]
    public async Task Failover_errors_are_retried_until_the_call_succeeds()
    {
        var retries = 0;
        var pipeline = TransientCalls.Pipeline((_, _, _) => retries++, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(2));
        var errors = new Queue<Exception>([
            new SiloUnavailableException("silo S127.0.0.1:11111:1 is dead"),
            new TimeoutException("response did not arrive on time"),
            new SiloUnavailableException("the target silo became unavailable for message"),
        ]);

        var answer = await pipeline.Run(() => errors.TryDequeue(out var e) ? Task.FromException<int>(e) : Task.FromResult(42));

        Assert.Equal(42, answer);
        Assert.Equal(3, retries);
    }

    [Fact]
    public async Task Other_errors_are_not_retried()
    {
        var calls = 0;
        var pipeline = TransientCalls.Pipeline(firstDelay: TimeSpan.FromMilliseconds(1));

        await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.Run(() =>
        {
            calls++;
            return Task.FromException<int>(new InvalidOperationException("a bug"));
        }));
        Assert.Equal(1, calls);
    }
}
