using System.Text;
using System.Text.Json;
using StackExchange.Redis;

namespace Accept.Client.Cluster;

/// <summary>
/// What a Redis membership store holds, for the client's connect error: the gateways listed for the
/// client's service and cluster id, and which (service, cluster) pairs it holds at all — so a mismatch in
/// either id shows up in one line. Orleans keeps a cluster under the hash <c>&lt;ServiceId&gt;/members/&lt;ClusterId&gt;</c>.
/// </summary>
internal static class RedisMembershipView
{
    private const string Members = "/members/";

    /// <summary>Where the connection string points, without its password or other options.</summary>
    public static string Endpoints(string connectionString)
    {
        try
        {
            var endpoints = ConfigurationOptions.Parse(connectionString).EndPoints.Select(e => e.ToString()?.Replace("Unspecified/", "", StringComparison.Ordinal));
            return string.Join(",", endpoints);
        }
        catch (Exception e) when (e is ArgumentException or RedisConnectionException)
        {
            return "(unparsable connection string)";
        }
    }

    /// <summary>One sentence on what the store lists; never throws (a store that cannot be read says so).</summary>
    public static async Task<string> DescribeAsync(string connectionString, string serviceId, string clusterId)
    {
        try
        {
            var options = ConfigurationOptions.Parse(connectionString);
            options.ConnectTimeout = 3000;
            options.AbortOnConnectFail = true;
            await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
            var database = redis.GetDatabase();
            var mine = $"{serviceId}{Members}{clusterId}";
            var gateways = Gateways(await database.HashGetAllAsync(mine));
            var listed = new List<string>();
            foreach (var server in redis.GetServers())
            {
                await foreach (var key in server.KeysAsync(pattern: $"*{Members}*", pageSize: 100))
                {
                    var text = key.ToString();
                    var split = text.IndexOf(Members, StringComparison.Ordinal);
                    listed.Add($"service '{text[..split]}' cluster '{text[(split + Members.Length)..]}'");
                    if (listed.Count == 10)
                    {
                        break;
                    }
                }
            }
            var held = listed.Count == 0 ? "no cluster at all" : string.Join("; ", listed.Distinct());
            return $"Gateways listed for service '{serviceId}' cluster '{clusterId}': {(gateways.Count == 0 ? "none" : string.Join(", ", gateways))}. This Redis holds: {held}.";
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ArgumentException)
        {
            return $"The Redis membership store could not be read: {e.Message}";
        }
    }

    /// <summary>The active silos' gateways of one membership hash: "host:proxyPort (silo name)".</summary>
    private static List<string> Gateways(HashEntry[] entries)
    {
        var gateways = new List<string>();
        foreach (var entry in entries.Where(e => e.Name != "Version"))
        {
            try
            {
                using var row = JsonDocument.Parse(Encoding.UTF8.GetBytes(entry.Value.ToString()));
                var root = row.RootElement;
                var status = root.TryGetProperty("Status", out var s) ? (s.ValueKind == JsonValueKind.Number ? ((SiloStatus)s.GetInt32()).ToString() : s.GetString()) : null;
                var address = entry.Name.ToString();
                var host = address.TrimStart('S').Split('@')[0];
                host = host[..Math.Max(0, host.LastIndexOf(':'))];
                var port = root.TryGetProperty("ProxyPort", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetInt32() : 0;
                var name = root.TryGetProperty("SiloName", out var n) ? n.GetString() : null;
                if (port > 0 && status == nameof(SiloStatus.Active))
                {
                    gateways.Add($"{host}:{port} ({name})");
                }
            }
            catch (JsonException)
            {
                // Not a row this client understands; the pair is still named below.
            }
        }
        return gateways;
    }
}
