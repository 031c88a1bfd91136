using Accept.GrainInterfaces.Tasks;

namespace Accept.GrainInterfaces.Jobs;

/// <summary>
/// One event of a job: a task's latest status with the metric points it recorded since its previous event
/// (each point final: its step's evaluation, when due, included), or — with no <see cref="Task"/> — a change of
/// the job's own state.
/// </summary>
/// <param name="State">The job's state when the event was sent.</param>
/// <param name="Task">The task that reported; null for a job state change.</param>
/// <param name="Points">The task's new points, oldest first; empty for a status-only change.</param>
/// <param name="Error">Why the job failed; null otherwise.</param>
[GenerateSerializer, Immutable]
[Alias("accept.JobProgress")]
public sealed record JobProgress(
    [property: Id(0)] string JobId,
    [property: Id(1)] JobState State,
    [property: Id(2)] TrainingTaskStatus? Task,
    [property: Id(3)] IReadOnlyList<TaskMetricPoint> Points,
    [property: Id(4)] string? Error);
