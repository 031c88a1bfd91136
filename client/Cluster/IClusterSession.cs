namespace Accept.Client.Cluster;

/// <summary>A cluster the client can talk to, started here (<see cref="EmbeddedCluster"/>) or joined (<see cref="ClusterConnection"/>).</summary>
public interface IClusterSession : IAsyncDisposable
{
    IClusterClient Client { get; }

    /// <summary>One line for the user: what the cluster is and where.</summary>
    string Description { get; }
}
