using Accept.GrainInterfaces.Jobs;

namespace Accept.GrainInterfaces.Tasks;

/// <summary>
/// One task's adaptive weights and training loop; runs only on worker silos. Key:
/// <see cref="GrainKeys.Task"/> ("job/task").
/// </summary>
[Alias("accept.ITaskGrain")]
public interface ITaskGrain : IGrainWithStringKey
{
    /// <summary>Starts training, or continues from the last checkpoint when one exists; idempotent.</summary>
    [Alias("Start")]
    Task<TrainingTaskStatus> Start(TaskAssignment spec);

    [Alias("Pause")]
    Task<TrainingTaskStatus> Pause();

    [Alias("Resume")]
    Task<TrainingTaskStatus> Resume();

    /// <summary>Stops training for good and leaves the codebook group.</summary>
    [Alias("Cancel")]
    Task<TrainingTaskStatus> Cancel();

    [Alias("GetStatus")]
    Task<TrainingTaskStatus> GetStatus();

    /// <summary>Metric points recorded after <paramref name="afterStep"/>, oldest first.</summary>
    [Alias("GetMetrics")]
    Task<IReadOnlyList<TaskMetricPoint>> GetMetrics(long afterStep);

    /// <summary>The task's line of the job's results (final once the task completed, was cancelled or failed).</summary>
    [Alias("GetResult")]
    Task<TaskResult> GetResult();
}
