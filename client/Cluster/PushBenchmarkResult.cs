namespace Accept.Client.Cluster;

/// <summary>One pusher count's measurement; latencies are client round trips of accepted pushes, in milliseconds.</summary>
public sealed record PushBenchmarkResult(
    int Pushers,
    double PushesPerSecond,
    double P50Milliseconds,
    double P99Milliseconds,
    long AcceptedPushes,
    long VersionsApplied,
    long RejectedPushes,
    string? FirstRejection,
    long PayloadBytes,
    IReadOnlyDictionary<string, long[]> CodebookShapes);
