using Accept.GrainInterfaces.Jobs;
using Accept.GrainInterfaces.Tasks;

namespace Accept.Grains.Jobs;

/// <summary>
/// One pass of a job over its unfinished tasks: each task's idempotent Start is called again — on a task whose
/// silo died that reactivates its grain, which restores its checkpoint on another worker — and the results of the
/// tasks that ended are recorded. A task that does not answer is left for the next pass. Plain: the job grain
/// hands it the calls.
/// </summary>
internal static class TaskKeepAlive
{
    /// <param name="start">A task's Start call (task, group).</param>
    /// <param name="result">A task's GetResult call.</param>
    /// <param name="silent">Told each task that did not answer and why.</param>
    /// <returns>True when a task ended in this pass (the record changed).</returns>
    public static async Task<bool> PassAsync(JobRecord record, Func<string, string, Task<TrainingTaskStatus>> start, Func<string, Task<TaskResult>> result,
        Action<string, Exception> silent)
    {
        var changed = false;
        foreach (var (task, group) in record.Unfinished())
        {
            TrainingTaskStatus status;
            try
            {
                status = await start(task, group);
            }
            catch (Exception e)
            {
                silent(task, e);
                continue;
            }
            record.LastStatus[task] = status;
            if (status.State is TaskState.Completed or TaskState.Cancelled or TaskState.Failed)
            {
                record.Finished[task] = await result(task);
                changed = true;
            }
        }
        return changed;
    }
}
