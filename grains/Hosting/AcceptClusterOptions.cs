namespace Accept.Grains.Hosting;

/// <summary>Settings section "Accept:Cluster": how silos and clients find each other. Shared by silos and clients
/// (the rules: <see cref="AcceptClusterOptionsValidator"/>).</summary>
public sealed class AcceptClusterOptions
{
    public const string Section = "Accept:Cluster";
    public const string RedisConnectionStringVariable = "ACCEPT_REDIS_CONNECTION_STRING";

    private string? _serviceId;

    /// <summary>Orleans cluster id; silos and clients of one cluster share it.</summary>
    public string ClusterId { get; set; } = "accept";

    /// <summary>
    /// Orleans service id. The one rule, on silos and clients alike: unset (or empty), it is <see cref="ClusterId"/>,
    /// so naming only the cluster id on both sides always agrees.
    /// </summary>
    public string ServiceId
    {
        get => string.IsNullOrWhiteSpace(_serviceId) ? ClusterId : _serviceId;
        set => _serviceId = value;
    }

    public ClusteringKind Clustering { get; set; } = ClusteringKind.Localhost;

    /// <summary>Redis clustering: a StackExchange.Redis configuration string; falls back to <see cref="RedisConnectionStringVariable"/>.</summary>
    public string? RedisConnectionString { get; set; }

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>Localhost clustering: the primary silo's port; 0 means this silo is the primary.</summary>
    public int PrimarySiloPort { get; set; }

    /// <summary>Redis clustering: the IP other silos reach this one at; empty picks this host's address.</summary>
    public string AdvertisedAddress { get; set; } = "";

    /// <summary>Membership: how long a probe of another silo may take before it counts as missed; empty keeps Orleans' default.</summary>
    public double? ProbeTimeoutSeconds { get; set; }

    /// <summary>Redis clustering: attempts to reach the membership store at start before the silo gives up and exits.</summary>
    public int MembershipStartAttempts { get; set; } = 30;

    /// <summary>Redis clustering: seconds between those attempts.</summary>
    public double MembershipRetrySeconds { get; set; } = 2;

    /// <summary>Membership: missed probes after which a silo votes another dead; empty keeps Orleans' default.</summary>
    public int? NumMissedProbesLimit { get; set; }

    /// <summary>Membership: votes that declare a silo dead; empty keeps Orleans' default.</summary>
    public int? NumVotesForDeathDeclaration { get; set; }

    /// <summary>Membership: how often a silo rereads the membership table; empty keeps Orleans' default.</summary>
    public double? TableRefreshSeconds { get; set; }

    /// <summary>The Redis connection string from settings or the environment; throws naming both when neither is set.</summary>
    public string ResolveRedisConnectionString() =>
        RedisConnectionStringFailure() is { } failure ? throw new ArgumentException(failure) : ConfiguredRedis!;

    /// <summary>The failure line when neither the setting nor the environment names a Redis connection string; null when one does.</summary>
    internal string? RedisConnectionStringFailure() => string.IsNullOrWhiteSpace(ConfiguredRedis)
        ? $"Redis clustering needs {Section}:RedisConnectionString or the environment variable {RedisConnectionStringVariable}."
        : null;

    private string? ConfiguredRedis => string.IsNullOrWhiteSpace(RedisConnectionString)
        ? Environment.GetEnvironmentVariable(RedisConnectionStringVariable)
        : RedisConnectionString;
}
