using Accept.GrainInterfaces;
using Accept.GrainInterfaces.Codebooks;
using Accept.GrainInterfaces.Jobs;
using Accept.GrainInterfaces.Tasks;

namespace Accept.Tests.Grains;

/// <summary>
/// A worker silo fails in the middle of a sync run, stopped (its grains deactivate) or killed (no
/// deactivation, no goodbye): its task must move to the other worker from its last checkpoint, metric
/// history included, and the group must neither deadlock nor count a repeated step.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class SiloFailureTests
{
    private const int Steps = 120;
    private const int CheckpointEvery = 10;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_task_whose_silo_fails_restores_its_last_checkpoint_on_the_other_worker_and_no_step_is_counted_twice(bool kill)
    {
        using var run = new TinyRun();
        await using var cluster = GrainSiloConfigurator.Build(run.Checkpoints, workers: 2, roundTimeoutSeconds: 1.5, fastFailureDetection: kill);
        await cluster.DeployAsync();
        var client = cluster.Client;
        var jobId = await GrainTestHelpers.JobWithTasksOnDifferentSilos(client, kill ? "kill" : "stop", "parity", "topic");
        var job = client.GetGrain<IJobGrain>(jobId);
        var parity = client.GetGrain<ITaskGrain>(GrainKeys.Task(jobId, "parity"));

        await job.Submit(new JobSubmission(run.Spec(steps: Steps, checkpointEvery: CheckpointEvery, evalEvery: Steps), null));
        var before = await GrainTestHelpers.WaitForStep(parity, 2 * CheckpointEvery + 5, TimeSpan.FromSeconds(60));
        var pointsBefore = await parity.GetMetrics(0);
        var doomed = cluster.Silos.Single(s => s.Name == before.Silo);
        var survivor = cluster.Silos.Single(s => s != doomed && s.Name != "Primary").Name;
        await (kill ? cluster.KillSiloAsync(doomed) : cluster.StopSiloAsync(doomed));
        var moved = await WaitForMove(parity, doomed.Name, TimeSpan.FromSeconds(60));
        var status = await GrainTestHelpers.WaitForEnd(job, TimeSpan.FromSeconds(90));
        var results = await job.GetResults();
        var history = await parity.GetMetrics(0);
        var group = await client.GetGrain<ICodebookGrain>(GrainKeys.Codebook(jobId, "shared")).GetStatus();

        Assert.Equal(JobState.Completed, status.State);
        Assert.Equal(survivor, moved.Silo);
        Assert.All(status.Tasks, t => Assert.Equal(survivor, t.Silo));
        // Restored, not restarted: its first step on the survivor continues from a checkpoint taken before the
        // failure. A stopping silo trains on until its grains deactivate; a killed one stops at once.
        Assert.InRange(moved.Step, 2 * CheckpointEvery, kill ? before.Step + CheckpointEvery : Steps);
        Assert.All(results.Tasks, r => Assert.Equal(Steps, r.Summary!.Steps));
        // The metric history came with the checkpoint: one point per step from the first, and the points up
        // to the checkpoint are the ones reported on the failed silo.
        Assert.Equal(Enumerable.Range(1, Steps).Select(s => (long)s), history.Select(p => p.Step));
        var restoredPoints = pointsBefore.Where(p => p.Step <= 2 * CheckpointEvery).ToList();
        Assert.Equal(2 * CheckpointEvery, restoredPoints.Count);
        Assert.Equal(restoredPoints, history.Take(restoredPoints.Count));
        Assert.Equal(new Dictionary<string, long> { ["parity"] = Steps, ["topic"] = Steps }, group.LastSteps);
        // Each accepted push applied exactly once, never more gradients than task steps, and at most a step or
        // two lost while the moved task rejoined: the steps it repeated after its restore were refused as
        // duplicates (or as stale while rejoining), not applied again.
        Assert.Equal(group.AcceptedPushes, group.AppliedGradients);
        Assert.InRange(group.AppliedGradients, 2 * Steps - 3, 2 * Steps);
        Assert.InRange(group.RejectedPushes, 0, 2 * CheckpointEvery + 5);
    }

    /// <summary>The task's first status on a silo other than <paramref name="from"/> with its session set up.</summary>
    private static async Task<TrainingTaskStatus> WaitForMove(ITaskGrain task, string from, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                var status = await task.GetStatus();
                if (status.Silo != from && status.Step > 0)
                {
                    return status;
                }
            }
            catch (Exception e) when (e is SiloUnavailableException or TimeoutException)
            {
                // Until the cluster declares the failed silo dead, calls to its activation fail.
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The task never came back on another silo than {from} within {timeout}.");
            }
            await Task.Delay(20);
        }
    }
}
