using System.Globalization;
using Accept.Tests.Cluster;

namespace Accept.Tests.Grains.Hosting;

/// <summary>Real silo processes whose Redis is not there when they start (silo/Hosting/MembershipStore).</summary>
[Trait("Category", "MultiProcess")]
public sealed class MembershipStoreStartTests
{
    private static Dictionary<string, string> Settings(int redisPort, int attempts) => new()
    {
        ["Accept__Cluster__Clustering"] = "Redis",
        ["Accept__Cluster__RedisConnectionString"] = $"127.0.0.1:{redisPort}",
        ["Accept__Cluster__ClusterId"] = $"start-{Guid.NewGuid():N}"[..16],
        ["Accept__Cluster__AdvertisedAddress"] = "127.0.0.1",
        ["Accept__Cluster__GatewayPort"] = TestEnvironment.FreePort().ToString(CultureInfo.InvariantCulture),
        ["Accept__Cluster__MembershipStartAttempts"] = attempts.ToString(CultureInfo.InvariantCulture),
        ["Accept__Cluster__MembershipRetrySeconds"] = "0.5",
        ["Accept__Silo__Role"] = "coordinator",
        ["Accept__Checkpoints__Root"] = Path.Combine(Path.GetTempPath(), "accept-membership-start"),
    };

    [SkippableFact]
    public async Task A_silo_started_before_redis_retries_and_joins_once_redis_is_up()
    {
        var program = TestEnvironment.FindOnPath("redis-server");
        if (program is null)
        {
            TestEnvironment.SkipOrFail("redis-server is not on PATH");
        }
        Assert.True(File.Exists(SiloProcess.SiloAssembly), $"Build the silo first: {SiloProcess.SiloAssembly} is missing.");
        var port = TestEnvironment.FreePort();
        await using var silo = SiloProcess.Start(Settings(port, attempts: 240), TestEnvironment.FreePort());

        Assert.True(await silo.Process.WaitForOutputAsync("attempt 2 of 240", TimeSpan.FromSeconds(60)), silo.Output);
        await using var redis = BackgroundProcess.Start(program!, ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]);

        await silo.WaitHealthyAsync(TimeSpan.FromSeconds(90));
        Assert.Contains($"Membership store Redis at 127.0.0.1:{port} did not answer (attempt 1 of 240)", silo.Process.AllOutput);
    }

    [SkippableFact]
    public async Task A_silo_that_never_reaches_redis_exits_non_zero_with_one_clear_line()
    {
        Assert.True(File.Exists(SiloProcess.SiloAssembly), $"Build the silo first: {SiloProcess.SiloAssembly} is missing.");
        var port = TestEnvironment.FreePort();
        await using var silo = SiloProcess.Start(Settings(port, attempts: 3), TestEnvironment.FreePort());

        var code = await silo.Process.WaitForExitAsync(TimeSpan.FromSeconds(90));

        var output = silo.Process.AllOutput;
        Assert.Equal(1, code);
        Assert.Contains($"error: membership store Redis at 127.0.0.1:{port} did not answer after 3 attempts 0.5 s apart (Accept:Cluster:MembershipStartAttempts, MembershipRetrySeconds)", output);
        Assert.Contains("(attempt 2 of 3)", output);
        Assert.DoesNotContain("   at ", output);
        Assert.DoesNotContain("Unhandled exception", output);
    }
}
