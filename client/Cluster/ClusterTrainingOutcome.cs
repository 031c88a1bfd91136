using Accept.GrainInterfaces.Jobs;

namespace Accept.Client.Cluster;

/// <summary>How a cluster run ended and where its run directory is.</summary>
public sealed record ClusterTrainingOutcome(string JobId, string RunDirectory, JobState State, JobResults Results, string? Error)
{
    /// <summary>0 completed, 1 failed, 130 cancelled (as a shell reports Ctrl-C).</summary>
    public int ExitCode => State switch
    {
        JobState.Completed => 0,
        JobState.Cancelled => 130,
        _ => 1,
    };
}
