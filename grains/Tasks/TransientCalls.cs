using Polly;
using Polly.Retry;

namespace Accept.Grains.Tasks;

/// <summary>
/// The retry rule of a task grain's calls to its codebook grain: the errors of a failover (the target silo
/// unavailable or declared dead, a rejected message, a call timed out while membership catches up) are
/// retried with jittered exponential backoff, without limit, until the call succeeds or the task stops.
/// They never fail the task; every other error does.
/// </summary>
public static class TransientCalls
{
    /// <summary>True for the errors a failover causes.</summary>
    public static bool IsTransient(Exception e) => e is OrleansMessageRejectionException or TimeoutException or SiloUnavailableException;

    public static ResiliencePipeline Pipeline(Action<Exception, int, TimeSpan>? onRetry = null, TimeSpan? firstDelay = null, TimeSpan? maxDelay = null) =>
        new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = firstDelay ?? TimeSpan.FromMilliseconds(200),
            MaxDelay = maxDelay ?? TimeSpan.FromSeconds(5),
            OnRetry = args =>
            {
                onRetry?.Invoke(args.Outcome.Exception!, args.AttemptNumber, args.RetryDelay);
                return ValueTask.CompletedTask;
            },
        }).Build();

    /// <summary>
    /// Runs <paramref name="call"/> under <paramref name="pipeline"/>, continuing on the caller's scheduler
    /// (a grain's: Polly would otherwise leave it and run the call on the thread pool).
    /// </summary>
    public static async Task<T> Run<T>(this ResiliencePipeline pipeline, Func<Task<T>> call, CancellationToken cancellation = default)
    {
        var context = ResilienceContextPool.Shared.Get(continueOnCapturedContext: true, cancellation);
        try
        {
            return await pipeline.ExecuteAsync(static async (_, call) => await call(), context, call);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    public static Task Run(this ResiliencePipeline pipeline, Func<Task> call, CancellationToken cancellation = default) =>
        pipeline.Run(async () =>
        {
            await call();
            return true;
        }, cancellation);
}
