using Accept.Grains.Hosting;
using Accept.Training.Checkpointing.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Timers;

namespace Accept.Tests.Grains.Hosting;

/// <summary>
/// Where a sweep's wake-up reminder lives (built silo hosts, not started): a Redis-clustered silo has the reminder
/// service, with Orleans' minimum period lowered to Accept:Silo:SweepWakeUpSeconds; a localhost silo has none.
/// </summary>
[Trait("Category", "Fast")]
public sealed class SweepWakeUpSettingsTests
{
    private static IHost Build(ClusteringKind clustering, double wakeUpSeconds) => new HostBuilder().UseOrleans(s => AcceptSiloBuilder.Configure(s, new AcceptSiloSettings(
        new AcceptClusterOptions { Clustering = clustering, RedisConnectionString = "127.0.0.1:14999", AdvertisedAddress = "127.0.0.1" },
        new AcceptSiloOptions { SweepWakeUpSeconds = wakeUpSeconds },
        new CheckpointStoreOptions { Root = Path.Combine(Path.GetTempPath(), "accept-wake-up-test-checkpoints") }))).Build();

    [Fact]
    public void A_redis_clustered_silo_keeps_reminders_with_the_wake_up_period_as_the_minimum()
    {
        using var host = Build(ClusteringKind.Redis, 2);

        Assert.NotNull(host.Services.GetService<IReminderRegistry>());
        Assert.Equal(TimeSpan.FromSeconds(2), host.Services.GetRequiredService<IOptions<ReminderOptions>>().Value.MinimumReminderPeriod);
    }

    [Fact]
    public void A_localhost_silo_has_no_reminder_service()
    {
        using var host = Build(ClusteringKind.Localhost, 60);

        Assert.Null(host.Services.GetService<IReminderRegistry>());
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(double.NaN)]
    public void A_wake_up_period_under_a_second_is_named(double seconds)
    {
        var error = Assert.Throws<ArgumentException>(() => SettingsOptions.ThrowIfInvalid(AcceptSiloOptionsValidator.Instance, new AcceptSiloOptions { SweepWakeUpSeconds = seconds }));

        Assert.StartsWith("Accept:Silo:SweepWakeUpSeconds is", error.Message);
    }
}
