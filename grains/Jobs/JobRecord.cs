using Accept.GrainInterfaces.Jobs;
using Accept.GrainInterfaces.Tasks;

namespace Accept.Grains.Jobs;

/// <summary>A job grain's durable state, saved as JSON to the checkpoint store on every change.</summary>
internal sealed class JobRecord
{
    public required string RunSpecJson { get; init; }
    public string? SubmittedBy { get; init; }
    public JobState State { get; set; }
    public DateTimeOffset? StartedUtc { get; set; }
    public DateTimeOffset? FinishedUtc { get; set; }
    public string? Error { get; set; }

    /// <summary>Task name → its group, in spec order.</summary>
    public required List<KeyValuePair<string, string>> Tasks { get; init; }

    public required List<string> Groups { get; init; }

    public int CheckpointEvery { get; init; }

    /// <summary>Final results of tasks that reached a terminal state.</summary>
    public Dictionary<string, TaskResult> Finished { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The last status seen per task, for status displays after the job ended.</summary>
    public Dictionary<string, TrainingTaskStatus> LastStatus { get; init; } = new(StringComparer.Ordinal);
}
