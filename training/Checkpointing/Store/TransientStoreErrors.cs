using Azure;
using Polly;
using Polly.Retry;

namespace Accept.Training.Checkpointing.Store;

/// <summary>
/// The store errors that pass on their own — the directory or its file system briefly unavailable (an I/O
/// error, a missing directory), the Blob service unreachable, throttling or failing with a server error — and
/// the retry rule of a checkpoint save around them: jittered exponential backoff for about 15 s, which rides
/// out a short outage; a longer one fails the save, and the grain that saves keeps its state and tries again at
/// its next checkpoint. A corrupt or refused checkpoint, a bad argument or a conflict is no transient error.
/// </summary>
public static class TransientStoreErrors
{
    public static bool IsTransient(Exception e) => e switch
    {
        CheckpointCorruptException => false,
        RequestFailedException blob => blob.Status is 0 or 408 or 429 or >= 500,
        IOException or UnauthorizedAccessException or TimeoutException or HttpRequestException => true,
        AggregateException all => all.InnerExceptions.All(IsTransient),
        _ => false,
    };

    /// <summary>One line for logs and status: what failed, never a stack trace (nor a connection string: store messages carry none).</summary>
    public static string Describe(Exception e) => $"{e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}";

    /// <summary>The retry of a save: <paramref name="attempts"/> retries after the first try, from <paramref name="firstDelay"/> doubling up to 4 s.</summary>
    public static ResiliencePipeline SaveRetry(int attempts = 5, TimeSpan? firstDelay = null) => attempts <= 0
        ? ResiliencePipeline.Empty
        : new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
            MaxRetryAttempts = attempts,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = firstDelay ?? TimeSpan.FromMilliseconds(500),
            MaxDelay = TimeSpan.FromSeconds(4),
        }).Build();
}
