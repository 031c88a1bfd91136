using Accept.GrainInterfaces;
using Accept.GrainInterfaces.Jobs;
using Accept.GrainInterfaces.Tasks;
using Accept.Grains.Checkpoints;
using Accept.Training.Checkpointing.Store;
using Accept.Training.Checkpointing;
using static TorchSharp.torch;

namespace Accept.Tests.Grains;

internal static class GrainTestHelpers
{
    /// <summary>
    /// A job id whose tasks are activated on different silos (activation happens on the first call and then stays).
    /// One after another: the client's calls reach the cluster through different gateways, and two placements made
    /// at once on two silos each see the same loads and pick the same silo, try after try.
    /// </summary>
    public static async Task<string> JobWithTasksOnDifferentSilos(IClusterClient client, string prefix, params string[] tasks)
    {
        for (int i = 0; i < 50; i++)
        {
            var job = $"{prefix}-{i}";
            var silos = new List<string?>();
            foreach (var task in tasks)
            {
                silos.Add((await client.GetGrain<ITaskGrain>(GrainKeys.Task(job, task)).GetStatus()).Silo);
            }
            if (silos.Distinct().Count() == tasks.Length)
            {
                return job;
            }
        }
        throw new InvalidOperationException("Placement never put the tasks on different silos in 50 tries.");
    }

    public static async Task<JobStatus> WaitForEnd(IJobGrain job, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var status = await job.GetStatus();
            if (status.State != JobState.Running)
            {
                return status;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Job {status.JobId} still running after {timeout}: " +
                    string.Join(", ", status.Tasks.Select(t => $"{t.TaskName} {t.State} step {t.Step} on {t.Silo}")));
            }
            await Task.Delay(100);
        }
    }

    public static async Task<TrainingTaskStatus> WaitForStep(ITaskGrain task, long step, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var status = await task.GetStatus();
            if (status.Step >= step)
            {
                return status;
            }
            if (DateTime.UtcNow > deadline || status.State is TaskState.Failed)
            {
                throw new TimeoutException($"Task {status.TaskName} at step {status.Step} ({status.State}, {status.Error}); waited for {step}.");
            }
            await Task.Delay(20);
        }
    }

    /// <summary>The task's latest checkpoint from the directory store, verified by hash.</summary>
    public static async Task<TaskCheckpoint> LoadTaskCheckpoint(string root, string job, string task)
    {
        var store = new DirectoryCheckpointStore(root, 3);
        var loaded = await store.LoadLatestAsync(new CheckpointScope(job, CheckpointOwners.Task(task)))
            ?? throw new InvalidOperationException($"No checkpoint of task {task} in job {job}.");
        return TaskCheckpoint.FromBytes(loaded.Content.Parts["task"], loaded.Info.ObjectName);
    }

    public static double MaxAbsDifference(Tensor a, Tensor b)
    {
        Assert.Equal(a.shape, b.shape);
        using var diff = (a.detach().cpu().to_type(ScalarType.Float64) - b.detach().cpu().to_type(ScalarType.Float64)).abs().max();
        return diff.item<double>();
    }
}
