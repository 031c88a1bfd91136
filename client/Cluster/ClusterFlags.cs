using System.CommandLine;
using Accept.Client.Options;
using System.Net;
using Accept.Grains.Hosting;

namespace Accept.Client.Cluster;

/// <summary>
/// The options that name a running cluster (`--gateway host:port`, `--redis CONN`, `--cluster-id`), shared by
/// `train`, `status`, `cancel` and the benchmarks. The Redis connection string may also come from
/// ACCEPT_REDIS_CONNECTION_STRING, as for the silos.
/// </summary>
internal sealed class ClusterFlags
{
    private readonly Option<string?> _gateway = new("--gateway") { Description = "A silo gateway of a running cluster, host:port (a silo's Accept:Cluster:GatewayPort)" };
    private readonly Option<string?> _redis = new("--redis") { Description = $"Redis membership of a running cluster (StackExchange.Redis configuration, e.g. 127.0.0.1:6379); default: ${AcceptClusterOptions.RedisConnectionStringVariable}" };
    private readonly Option<string> _clusterId = new("--cluster-id") { Description = "Orleans cluster id of the silos (Accept:Cluster:ClusterId); the service id is the same unless --service-id is given, as on the silos", DefaultValueFactory = _ => "accept" };
    private readonly Option<string?> _serviceId = new("--service-id") { Description = "Orleans service id of the silos (Accept:Cluster:ServiceId); default: the cluster id, as on the silos" };

    private readonly Option<double> _connectTimeout = new Option<double>("--connect-timeout") { Description = "Seconds to keep trying to reach the cluster", DefaultValueFactory = _ => ClusterTarget.DefaultConnectTimeout.TotalSeconds }
        .Seconds(MaxConnectTimeoutSeconds);

    /// <summary>A day: longer waits are typos, and TimeSpan/timer limits are far beyond (they gave .NET's own message).</summary>
    public const double MaxConnectTimeoutSeconds = 86_400;

    private ClusterFlags() { }

    public static ClusterFlags AddTo(Command command)
    {
        var flags = new ClusterFlags();
        command.Options.Add(flags._gateway);
        command.Options.Add(flags._redis);
        command.Options.Add(flags._clusterId);
        command.Options.Add(flags._serviceId);
        command.Options.Add(flags._connectTimeout);
        return flags;
    }

    /// <summary>The cluster named on the command line or in the environment; null when none is named.</summary>
    /// <exception cref="ArgumentException">A malformed --gateway, or both --gateway and --redis.</exception>
    public ClusterTarget? Resolve(ParseResult parse)
    {
        var gateway = parse.GetValue(_gateway);
        var redis = parse.GetValue(_redis);
        if (gateway is not null && redis is not null)
        {
            throw new ArgumentException("--gateway and --redis both name a cluster; give one of them.");
        }
        redis ??= gateway is null ? NonEmpty(Environment.GetEnvironmentVariable(AcceptClusterOptions.RedisConnectionStringVariable)) : null;
        if (gateway is null && redis is null)
        {
            return null;
        }
        var clusterId = parse.GetValue(_clusterId)!;
        var cluster = new AcceptClusterOptions
        {
            ClusterId = clusterId,
            ServiceId = parse.GetValue(_serviceId) ?? "",
            Clustering = redis is null ? ClusteringKind.Localhost : ClusteringKind.Redis,
            RedisConnectionString = redis,
        };
        return new ClusterTarget(cluster, gateway is null ? null : ParseGateway(gateway), ConnectTimeout(parse));
    }

    /// <summary><see cref="Resolve"/>, or the local default gateway (127.0.0.1:30000) when no cluster is named.</summary>
    public ClusterTarget ResolveOrLocal(ParseResult parse) => Resolve(parse) ?? ClusterTarget.LocalDefault with
    {
        Cluster = new AcceptClusterOptions { ClusterId = parse.GetValue(_clusterId)!, ServiceId = parse.GetValue(_serviceId) ?? "" },
        ConnectTimeout = ConnectTimeout(parse),
    };

    private TimeSpan ConnectTimeout(ParseResult parse) => parse.GetValue(_connectTimeout) is var seconds && seconds > 0
        ? TimeSpan.FromSeconds(seconds)
        : throw new ArgumentException($"--connect-timeout {seconds}: expected a positive number of seconds.");

    internal static DnsEndPoint ParseGateway(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1 || !int.TryParse(text[(colon + 1)..], out var port) || port is < 1 or > 65535)
        {
            throw new ArgumentException($"--gateway '{text}': expected host:port with a port from 1 to 65535 (e.g. 127.0.0.1:30000).");
        }
        var host = text[..colon].Trim('[', ']');
        return new DnsEndPoint(host, port);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
