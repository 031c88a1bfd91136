namespace Accept.Client.Cluster;

/// <summary>The client could not reach a cluster; the message says where it looked.</summary>
public sealed class ClusterUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
