using System.Text.Json;
using Accept.GrainInterfaces.Jobs;
using Accept.GrainInterfaces.Tasks;
using Accept.Training.Config;

namespace Accept.Grains.Jobs;

/// <summary>
/// A job grain's durable state, saved as JSON to the checkpoint store on every change, and the bookkeeping of
/// its tasks: which have ended, the latest status each reported, and the job's outcome once every task ended.
/// </summary>
internal sealed class JobRecord
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new TaskResultJson() } };

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

    /// <summary>The record as stored.</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>A stored record (also one stored by an earlier version, see <see cref="TaskResultJson"/>).</summary>
    public static JobRecord? FromJson(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize<JobRecord>(json, Json);

    /// <summary>A running job's record for a validated spec.</summary>
    public static JobRecord Start(JobSubmission submission, RunSpec spec, DateTimeOffset now) => new()
    {
        RunSpecJson = submission.RunSpecJson,
        SubmittedBy = submission.SubmittedBy,
        State = JobState.Running,
        StartedUtc = now,
        Tasks = spec.Tasks.Select(t => KeyValuePair.Create(t.Name, t.CodebookGroup)).ToList(),
        Groups = spec.CodebookGroups.Keys.ToList(),
        CheckpointEvery = spec.CheckpointEvery,
    };

    /// <summary>The tasks (and their groups) that have not ended, in spec order.</summary>
    public List<KeyValuePair<string, string>> Unfinished() => Tasks.Where(t => !Finished.ContainsKey(t.Key)).ToList();

    /// <summary>
    /// Takes a task's reported status: true when it is a task of this job that has not ended (a task's final
    /// status stays as the job recorded it when it ended).
    /// </summary>
    public bool Report(TrainingTaskStatus status)
    {
        if (!Tasks.Any(t => t.Key == status.TaskName) || Finished.ContainsKey(status.TaskName))
        {
            return false;
        }
        LastStatus[status.TaskName] = status;
        return true;
    }

    /// <summary>The latest status of each task that reported one, in spec order.</summary>
    public List<TrainingTaskStatus> Statuses() =>
        Tasks.Where(t => LastStatus.ContainsKey(t.Key)).Select(t => LastStatus[t.Key]).ToList();

    /// <summary>The job's end once every task has ended: failed (naming each failed task) if any failed, else completed; null before.</summary>
    public (JobState State, string? Error)? Outcome()
    {
        if (Finished.Count != Tasks.Count)
        {
            return null;
        }
        var failed = Finished.Values.Where(r => r.State == TaskState.Failed).ToList();
        return failed.Count > 0
            ? (JobState.Failed, string.Join("; ", failed.Select(f => $"task '{f.TaskName}' failed: {f.Error}")))
            : (JobState.Completed, null);
    }

    public void End(JobState state, string? error, DateTimeOffset now)
    {
        State = state;
        Error = error;
        FinishedUtc = now;
    }

    /// <summary>
    /// The job's results in spec order: an ended task's as recorded, another's from <paramref name="live"/> (its grain);
    /// the wall time runs to <paramref name="now"/> while the job runs.
    /// </summary>
    public async Task<JobResults> ResultsAsync(string jobId, Func<string, Task<TaskResult>> live, DateTimeOffset now)
    {
        var results = new List<TaskResult>();
        foreach (var (task, _) in Tasks)
        {
            results.Add(Finished.TryGetValue(task, out var done) ? done : await live(task));
        }
        var wall = ((FinishedUtc ?? now) - (StartedUtc ?? now)).TotalSeconds;
        return new JobResults(jobId, State, results, wall, wall > 0 ? results.Sum(r => r.Tokens) / wall : 0);
    }
}
