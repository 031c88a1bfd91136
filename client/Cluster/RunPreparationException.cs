namespace Accept.Client.Cluster;

/// <summary>Something a run needs before it can start is missing (npm for the demo data, say); the message says what to do.</summary>
public sealed class RunPreparationException(string message, Exception? inner = null) : Exception(message, inner);
