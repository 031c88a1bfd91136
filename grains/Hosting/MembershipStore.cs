using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using StackExchange.Redis;

namespace Accept.Grains.Hosting;

/// <summary>
/// Before a silo joins: waits until its membership store answers. Redis may come up a moment after the
/// silos (one machine booting, a pod scheduled first); each failed attempt is a log line, and after
/// <see cref="AcceptClusterOptions.MembershipStartAttempts"/> the silo gives up with one line instead of
/// Orleans failing its start with a stack dump.
/// </summary>
public static class MembershipStore
{
    /// <summary>Null when the store answered (or none is used); otherwise the one line to exit with.</summary>
    public static async Task<string?> WaitAsync(AcceptClusterOptions cluster, ILogger logger, CancellationToken cancellationToken = default)
    {
        if (cluster.Clustering != ClusteringKind.Redis)
        {
            return null;
        }
        var connection = ConfigurationOptions.Parse(cluster.ResolveRedisConnectionString());
        connection.AbortOnConnectFail = true;
        connection.ConnectTimeout = (int)Math.Clamp(cluster.MembershipRetrySeconds * 1000, 1000, 5000);
        // Endpoints only: the connection string may hold a password.
        var where = string.Join(",", connection.EndPoints.Select(e => e.ToString()?.Replace("Unspecified/", "", StringComparison.Ordinal)));
        var attempts = cluster.MembershipStartAttempts;
        var pipeline = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<RedisException>().Handle<TimeoutException>(),
            MaxRetryAttempts = Math.Max(1, attempts - 1),
            Delay = TimeSpan.FromSeconds(cluster.MembershipRetrySeconds),
            BackoffType = DelayBackoffType.Constant,
            OnRetry = retry =>
            {
                logger.LogWarning("Membership store Redis at {Endpoints} did not answer (attempt {Attempt} of {Attempts}): {Error}; retrying in {Delay:F1} s",
                    where, retry.AttemptNumber + 1, attempts, retry.Outcome.Exception?.Message, retry.RetryDelay.TotalSeconds);
                return ValueTask.CompletedTask;
            },
        }).Build();
        try
        {
            await pipeline.ExecuteAsync(async token =>
            {
                await using var redis = await ConnectionMultiplexer.ConnectAsync(connection);
                await redis.GetDatabase().PingAsync();
            }, cancellationToken);
            return null;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return $"membership store Redis at {where} did not answer after {attempts} attempts {cluster.MembershipRetrySeconds:0.#} s apart " +
                $"({AcceptClusterOptions.Section}:MembershipStartAttempts, MembershipRetrySeconds): {FirstLine(e.Message)}";
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
