using Accept.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Timers;

namespace Accept.Grains.Sweeps;

/// <summary>
/// The reminder of a running sweep: every <see cref="AcceptSiloOptions.SweepWakeUpSeconds"/> it calls the sweep grain,
/// which activates it (from its persisted state) on a live coordinator when the silo that hosted it died, so the sweep
/// goes on with no client call. Registered while the sweep runs, removed when it ends. The reminder carries nothing:
/// the persisted <c>SweepState</c> stays the only record of the sweep. A silo without a reminder service (the
/// embedded cluster: its silos share one process and die together) runs sweeps without it.
/// </summary>
internal static class SweepWakeUp
{
    public const string ReminderName = "sweep-wake-up";

    public static async Task RegisterAsync(Grain grain, ILogger logger)
    {
        if (!HasReminders(grain)) return;
        var period = TimeSpan.FromSeconds(grain.GrainContext.ActivationServices.GetRequiredService<IOptions<AcceptSiloOptions>>().Value.SweepWakeUpSeconds);
        try
        {
            await grain.RegisterOrUpdateReminder(ReminderName, period, period);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The sweep runs on without it; only a silo loss would then wait for a client call.
            logger.LogWarning(e, "Sweep {Sweep}: its wake-up reminder could not be registered", grain.GetPrimaryKeyString());
        }
    }

    public static async Task UnregisterAsync(Grain grain, ILogger logger)
    {
        if (!HasReminders(grain)) return;
        try
        {
            if (await grain.GetReminder(ReminderName) is { } reminder) await grain.UnregisterReminder(reminder);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A later tick finds the sweep ended and tries again.
            logger.LogWarning(e, "Sweep {Sweep}: its wake-up reminder could not be removed", grain.GetPrimaryKeyString());
        }
    }

    private static bool HasReminders(Grain grain) => grain.GrainContext.ActivationServices.GetService<IReminderRegistry>() is not null;
}
