using Orleans.Concurrency;

namespace Accept.GrainInterfaces.Jobs;

/// <summary>
/// Listens to a job's progress as it happens (task → job → observers), instead of polling the job and its
/// tasks. The client implements it with an object reference (<c>IGrainFactory.CreateObjectReference</c>); a
/// grain (a sweep) implements it itself and subscribes with <c>this.AsReference&lt;IJobObserver&gt;()</c>.
/// Subscriptions expire (<see cref="IJobGrain.Subscribe"/>): subscribe again periodically. Events are one-way
/// and can be lost with a silo; <see cref="JobProgress.Points"/> carry step numbers so a listener can see a gap
/// and fetch the missing points once from the task (<c>ITaskGrain.GetMetrics</c>).
/// </summary>
[Alias("accept.IJobObserver")]
public interface IJobObserver : IGrainObserver
{
    [OneWay]
    [Alias("OnProgress")]
    Task OnProgress(JobProgress progress);
}
