using Accept.Training.Config;

namespace Accept.Client.Benchmarks.Scale;

/// <summary>One `bench scale` configuration: simulated tasks in one codebook group on an embedded cluster.</summary>
/// <param name="Rounds">Steps per task (sync: rounds); the first is warm-up (activation, placement, join) and not measured.</param>
/// <param name="StragglerP">Probability that a step takes <paramref name="StragglerMs"/> instead of <paramref name="StepMs"/>.</param>
public sealed record ScaleConfig(
    int Tasks,
    int Silos,
    AggregationMode Mode,
    bool Hierarchical,
    int Rounds,
    double StepMs,
    double StragglerP,
    double StragglerMs,
    double DeadlineMs = 0,
    int Seed = 1);

/// <summary>What one configuration measured (the JSON line's fields).</summary>
public sealed record ScaleResult(
    ScaleConfig Config,
    double RoundsPerSecond,
    double OverheadMsP50,
    double OverheadMsP99,
    double GradientsPerSecond,
    double BytesPerRound,
    double CodebookBusyShare,
    double SiloMemoryMb,
    long PushCalls,
    long AppliedGradients,
    int Failed,
    IReadOnlyDictionary<string, int> TasksPerSilo)
{
    /// <summary>CPU time of the whole process (every silo, the client, the simulated steps) per round (gradients applied ÷ tasks) after every task's first step (a run too short for the bench to see that: the whole run): what the coordination costs whatever the machine's load.</summary>
    public double CpuMsPerRound { get; init; }

    /// <summary>Pushes the group refused (async: a gradient older than max_staleness, which the bench sets to the task count; its task pulls the codebooks and goes on).</summary>
    public long RejectedPushes { get; init; }

    /// <summary>Managed bytes the whole process allocated per round (MiB), counted like <see cref="CpuMsPerRound"/>.</summary>
    public double AllocatedMbPerRound { get; init; }

    /// <summary>Garbage collections of generations 0, 1 and 2 after every task's first step (a gen-2 collection counts in all three).</summary>
    public IReadOnlyList<int> Collections { get; init; } = [];
}
