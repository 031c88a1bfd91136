using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace Accept.Grains.Hosting;

/// <summary>The client side of <see cref="AcceptClusterOptions"/>: connects to the gateways of the same cluster.</summary>
public static class AcceptClientBuilder
{
    public static IClientBuilder Configure(IClientBuilder client, AcceptClusterOptions cluster)
    {
        SettingsOptions.ThrowIfInvalid(AcceptClusterOptionsValidator.Instance, cluster);
        if (cluster.Clustering == ClusteringKind.Redis)
        {
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ServiceId));
            client.UseRedisClustering(cluster.ResolveRedisConnectionString());
        }
        else
        {
            client.UseLocalhostClustering(cluster.GatewayPort, cluster.ServiceId, cluster.ClusterId);
        }
        return client;
    }
}
