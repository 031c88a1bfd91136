namespace Accept.Grains.Hosting;

public enum ClusteringKind
{
    /// <summary>One machine: silos find each other through a primary silo on loopback.</summary>
    Localhost = 0,

    /// <summary>Several machines (or processes): membership in Redis.</summary>
    Redis = 1,
}
