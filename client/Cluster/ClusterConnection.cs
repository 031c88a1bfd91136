using System.Net;
using System.Net.Sockets;
using Accept.Grains.Hosting;
using Accept.Grains.Hosting.Tls;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace Accept.Client.Cluster;

/// <summary>An Orleans client connected to a running cluster through the product's client configuration.</summary>
public sealed class ClusterConnection : IClusterSession
{
    private readonly IHost _host;

    private ClusterConnection(IHost host, string description)
    {
        _host = host;
        Description = description;
        Client = host.Services.GetRequiredService<IClusterClient>();
    }

    public IClusterClient Client { get; }

    public string Description { get; }

    /// <exception cref="ClusterUnavailableException">No gateway answered; the message names where the client looked.</exception>
    public static async Task<ClusterConnection> ConnectAsync(ClusterTarget target, CancellationToken cancellationToken = default)
    {
        var gateway = target.Gateway is { } g ? await ResolveAsync(g, cancellationToken) : null;
        var host = new HostBuilder().UseOrleansClient(client =>
        {
            if (gateway is null || IPAddress.IsLoopback(gateway.Address))
            {
                // Redis, or a gateway on this machine: exactly the silos' own client configuration.
                var cluster = gateway is null ? target.Cluster : CopyWithGatewayPort(target.Cluster, gateway.Port);
                AcceptClientBuilder.Configure(client, cluster);
            }
            else
            {
                client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (target.Cluster.ClusterId, target.Cluster.ServiceId));
                client.UseStaticClustering(gateway);
            }
            // Accept__Tls__* in the environment: the silos' TLS settings (docs/operations.md).
            AcceptTls.ConfigureClient(client, AcceptTls.FromEnvironment());
        }).Build();
        var limit = target.ConnectTimeout;
        try
        {
            // Orleans keeps retrying an unreachable gateway for minutes; a user waiting at a prompt wants an answer.
            await host.StartAsync(cancellationToken).WaitAsync(limit, cancellationToken);
        }
        catch (TimeoutException)
        {
            host.Dispose();
            throw new ClusterUnavailableException($"{Unavailable(target)}: no gateway answered within {limit.TotalSeconds:F0} s. {await SeenAsync(target)}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            host.Dispose();
            throw new ClusterUnavailableException($"{Unavailable(target)}: {e.Message} {await SeenAsync(target)}", e);
        }
        return new ClusterConnection(host, target.Describe());
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            _host.Dispose();
        }
    }

    private static string Unavailable(ClusterTarget target) =>
        $"Could not connect to cluster id '{target.Cluster.ClusterId}', service id '{target.Cluster.ServiceId}' through {target.Source()}";

    /// <summary>
    /// The gateways the client saw, and how to line the ids up: a silo's ServiceId, unless set, is its
    /// ClusterId, as the client's --service-id is its --cluster-id.
    /// </summary>
    private static async Task<string> SeenAsync(ClusterTarget target)
    {
        const string Rule = "Silos and client must agree on both ids (Accept:Cluster:ClusterId/ServiceId on the silos, --cluster-id/--service-id here; an unset service id is the cluster id on both sides).";
        return target.Gateway is { } g
            ? $"Gateways tried: {g.Host}:{g.Port}. Is a silo of this cluster listening there? {Rule}"
            : $"{await RedisMembershipView.DescribeAsync(target.Cluster.ResolveRedisConnectionString(), target.Cluster.ServiceId, target.Cluster.ClusterId)} {Rule}";
    }

    private static AcceptClusterOptions CopyWithGatewayPort(AcceptClusterOptions cluster, int port) => new()
    {
        ClusterId = cluster.ClusterId,
        ServiceId = cluster.ServiceId,
        Clustering = ClusteringKind.Localhost,
        GatewayPort = port,
    };

    private static async Task<IPEndPoint> ResolveAsync(DnsEndPoint endpoint, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(endpoint.Host, out var address))
        {
            return new IPEndPoint(address, endpoint.Port);
        }
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
            var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
            return chosen is null
                ? throw new ClusterUnavailableException($"--gateway host '{endpoint.Host}' resolves to no address.")
                : new IPEndPoint(chosen, endpoint.Port);
        }
        catch (SocketException e)
        {
            throw new ClusterUnavailableException($"--gateway host '{endpoint.Host}' could not be resolved: {e.Message}", e);
        }
    }
}
