using Accept.Grains.Placement;
using Accept.Training.Devices;
using Microsoft.Extensions.Options;

namespace Accept.Grains.Hosting;

/// <summary>
/// The rules of "Accept:Silo", one failure line per bad key naming it and what was expected. The one set: checked up
/// front with the settings (<see cref="AcceptSiloSettings.Validate"/>) and again by the options system as the silo
/// starts (<see cref="SettingsOptions"/>).
/// </summary>
public sealed class AcceptSiloOptionsValidator : IValidateOptions<AcceptSiloOptions>
{
    public static readonly AcceptSiloOptionsValidator Instance = new();

    private const string Section = AcceptSiloOptions.Section;

    public ValidateOptionsResult Validate(string? name, AcceptSiloOptions options) => SettingsOptions.Result(Failures(options));

    private static IEnumerable<string> Failures(AcceptSiloOptions o)
    {
        if (o.Role is not (SiloMetadataKeys.WorkerRole or SiloMetadataKeys.CoordinatorRole))
            yield return $"{Section}:Role is '{o.Role}'; expected 'worker' or 'coordinator'.";
        // The form only: whether CUDA is there is the silo's start-up check (SiloDevice).
        if (DeviceFailure(o.Device) is { } device)
            yield return device;
        if (o.Slots < 1)
            yield return $"{Section}:Slots is {o.Slots}; expected at least 1.";
        if (o.TorchThreads < 0)
            yield return $"{Section}:TorchThreads is {o.TorchThreads}; expected 0 (libtorch default) or more.";
        if (!(o.RoundTimeoutSeconds > 0))
            yield return $"{Section}:RoundTimeoutSeconds is {o.RoundTimeoutSeconds}; expected a positive number of seconds.";
        if (!(o.PushWaitSeconds > 0 && o.PushWaitSeconds < 30))
            yield return $"{Section}:PushWaitSeconds is {o.PushWaitSeconds}; expected more than 0 and less than Orleans' 30 s response timeout.";
        if (o.Aggregation is not ("hierarchical" or "flat"))
            yield return $"{Section}:Aggregation is '{o.Aggregation}'; expected 'hierarchical' or 'flat'.";
        if (!(o.AggregationWindowMs >= 0 && o.AggregationWindowMs <= 1000))
            yield return $"{Section}:AggregationWindowMs is {o.AggregationWindowMs}; expected 0 to 1000 milliseconds.";
        if (!(o.RoundDeadlineMs >= 0 && double.IsFinite(o.RoundDeadlineMs)))
            yield return $"{Section}:RoundDeadlineMs is {o.RoundDeadlineMs}; expected 0 (off) or a positive number of milliseconds.";
        if (!(o.SweepWakeUpSeconds >= 1 && double.IsFinite(o.SweepWakeUpSeconds)))
            yield return $"{Section}:SweepWakeUpSeconds is {o.SweepWakeUpSeconds}; expected at least 1 second.";
        if (!(o.JobPollSeconds > 0))
            yield return $"{Section}:JobPollSeconds is {o.JobPollSeconds}; expected a positive number of seconds.";
    }

    private static string? DeviceFailure(string device)
    {
        try
        {
            DeviceSelection.Parse(device, $"{Section}:Device");
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }
}
