using Accept.GrainInterfaces.Tasks;
using Orleans.Concurrency;

namespace Accept.GrainInterfaces.Jobs;

/// <summary>A run: its spec's tasks and codebook groups, overall status and results. Key: the job id.</summary>
[Alias("accept.IJobGrain")]
public interface IJobGrain : IGrainWithStringKey
{
    /// <summary>Validates the spec, starts its codebook groups and tasks; submitting the same spec again is a no-op.</summary>
    [Alias("Submit")]
    Task<JobStatus> Submit(JobSubmission submission);

    [Alias("GetStatus")]
    Task<JobStatus> GetStatus();

    /// <summary>Cancels every task and closes the codebook groups.</summary>
    [Alias("Cancel")]
    Task<JobStatus> Cancel();

    /// <summary>Per-task results so far; final once the state is Completed, Cancelled or Failed.</summary>
    [Alias("GetResults")]
    Task<JobResults> GetResults();

    /// <summary>
    /// Sends <paramref name="observer"/> every progress event from now on. A subscription lapses after
    /// <see cref="JobSubscription.Lifetime"/> (or when the job grain moves to another silo): subscribe again well within it.
    /// </summary>
    [Alias("Subscribe")]
    Task Subscribe(IJobObserver observer);

    [Alias("Unsubscribe")]
    Task Unsubscribe(IJobObserver observer);

    /// <summary>A task grain's progress (its status and the points since its last report), published to the observers.</summary>
    [OneWay]
    [Alias("ReportProgress")]
    Task ReportProgress(TrainingTaskStatus status, IReadOnlyList<TaskMetricPoint> points);

    /// <summary>Where this cluster's checkpoint store is (no credentials): the client records it in the run directory.</summary>
    [Alias("GetCheckpointStore")]
    Task<CheckpointStoreInfo> GetCheckpointStore();
}
