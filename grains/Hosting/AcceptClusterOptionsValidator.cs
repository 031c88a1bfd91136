using System.Net;
using Microsoft.Extensions.Options;

namespace Accept.Grains.Hosting;

/// <summary>
/// The rules of "Accept:Cluster", one failure line per bad key naming it and what was expected. The one set, for
/// silos (<see cref="AcceptSiloSettings.Validate"/>, and again as the silo starts) and clients
/// (<see cref="AcceptClientBuilder"/>).
/// </summary>
public sealed class AcceptClusterOptionsValidator : IValidateOptions<AcceptClusterOptions>
{
    public static readonly AcceptClusterOptionsValidator Instance = new();

    private const string Section = AcceptClusterOptions.Section;

    public ValidateOptionsResult Validate(string? name, AcceptClusterOptions options) => SettingsOptions.Result(Failures(options));

    private static IEnumerable<string> Failures(AcceptClusterOptions o)
    {
        foreach (var (key, port, zeroAllowed) in new[] { ("SiloPort", o.SiloPort, false), ("GatewayPort", o.GatewayPort, false), ("PrimarySiloPort", o.PrimarySiloPort, true) })
        {
            if (port is < 0 or > 65535 || (port == 0 && !zeroAllowed))
                yield return $"{Section}:{key} is {port}; expected a TCP port from 1 to 65535.";
        }
        if (string.IsNullOrWhiteSpace(o.ClusterId) || string.IsNullOrWhiteSpace(o.ServiceId))
            yield return $"{Section}:ClusterId and {Section}:ServiceId must not be empty.";
        foreach (var (key, seconds) in new[] { ("ProbeTimeoutSeconds", o.ProbeTimeoutSeconds), ("TableRefreshSeconds", o.TableRefreshSeconds), ("MembershipRetrySeconds", (double?)o.MembershipRetrySeconds) })
        {
            if (seconds is { } value && !(value > 0))
                yield return $"{Section}:{key} is {value}; expected a positive number of seconds.";
        }
        foreach (var (key, count) in new[] { ("NumMissedProbesLimit", o.NumMissedProbesLimit), ("NumVotesForDeathDeclaration", o.NumVotesForDeathDeclaration), ("MembershipStartAttempts", (int?)o.MembershipStartAttempts) })
        {
            if (count is < 1)
                yield return $"{Section}:{key} is {count}; expected a whole number of at least 1.";
        }
        if (o.AdvertisedAddress.Length > 0 && !IPAddress.TryParse(o.AdvertisedAddress, out _))
            yield return $"{Section}:AdvertisedAddress '{o.AdvertisedAddress}' is not an IP address.";
        if (o.Clustering == ClusteringKind.Redis && o.RedisConnectionStringFailure() is { } redis)
            yield return redis;
    }
}
