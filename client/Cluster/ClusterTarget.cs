using System.Net;
using Accept.Grains.Hosting;

namespace Accept.Client.Cluster;

/// <summary>
/// A running cluster the client connects to: Redis membership (the silos' own setting), or one gateway
/// endpoint. <see cref="Cluster"/> carries the cluster and service ids either way.
/// </summary>
/// <param name="ConnectTimeout">How long the client keeps trying to reach a gateway.</param>
public sealed record ClusterTarget(AcceptClusterOptions Cluster, DnsEndPoint? Gateway, TimeSpan ConnectTimeout)
{
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(20);

    /// <summary>The default a silo started with no settings listens on: gateway 127.0.0.1:30000, cluster "accept".</summary>
    public static ClusterTarget LocalDefault { get; } = new(new AcceptClusterOptions(), new DnsEndPoint("127.0.0.1", new AcceptClusterOptions().GatewayPort), DefaultConnectTimeout);

    /// <summary>For messages: where the client looks for the cluster. Never shows the Redis connection string, which may hold a password.</summary>
    public string Describe() => $"{Source()} (cluster '{Cluster.ClusterId}', service '{Cluster.ServiceId}')";

    /// <summary>The membership source: the gateway named, or the Redis endpoints (without password or options).</summary>
    public string Source() => Gateway is { } g
        ? $"gateway {g.Host}:{g.Port}"
        : $"Redis membership at {RedisMembershipView.Endpoints(Cluster.ResolveRedisConnectionString())}";
}
