using Accept.GrainInterfaces;
using Accept.GrainInterfaces.Codebooks;
using Accept.GrainInterfaces.Jobs;
using Accept.GrainInterfaces.Tasks;

namespace Accept.Tests.Grains;

/// <summary>A worker silo stops in the middle of a run: its task moves to the other worker and the job still completes.</summary>
public sealed class SiloFailureTests
{
    private const int Steps = 150;

    [Fact]
    public async Task A_task_whose_silo_stops_resumes_from_its_checkpoint_on_another_worker_and_no_step_is_counted_twice()
    {
        using var run = new TinyRun();
        await using var cluster = GrainSiloConfigurator.Build(run.Checkpoints, workers: 2, roundTimeoutSeconds: 1.5);
        await cluster.DeployAsync();
        var client = cluster.Client;
        var jobId = await GrainTestHelpers.JobWithTasksOnDifferentSilos(client, "failover", "parity", "topic");
        var job = client.GetGrain<IJobGrain>(jobId);
        var parity = client.GetGrain<ITaskGrain>(GrainKeys.Task(jobId, "parity"));

        await job.Submit(new JobSubmission(run.Spec(steps: Steps, checkpointEvery: 10, evalEvery: Steps), null));
        var before = await GrainTestHelpers.WaitForStep(parity, 25, TimeSpan.FromSeconds(60));
        var doomed = cluster.Silos.Single(s => s.Name == before.Silo);
        await cluster.StopSiloAsync(doomed);
        var status = await GrainTestHelpers.WaitForEnd(job, TimeSpan.FromSeconds(90));
        var after = await parity.GetStatus();
        var group = await client.GetGrain<ICodebookGrain>(GrainKeys.Codebook(jobId, "shared")).GetStatus();
        var results = await job.GetResults();

        Assert.Equal(JobState.Completed, status.State);
        Assert.NotEqual(before.Silo, after.Silo);
        Assert.NotEqual("Primary", after.Silo);
        Assert.All(results.Tasks, r => Assert.Equal(Steps, r.Steps));
        Assert.Equal(new Dictionary<string, long> { ["parity"] = Steps, ["topic"] = Steps }, group.LastSteps);
        // Every accepted push applied once; repeated steps were refused, so at most one gradient per task step,
        // and at most a step or two of the moved task was lost while it rejoined.
        Assert.Equal(group.AcceptedPushes, group.AppliedGradients);
        Assert.InRange(group.AppliedGradients, 2 * Steps - 3, 2 * Steps);
        // The moved task restored a checkpoint (every 10 steps) from step 20 or later, not from scratch: it
        // repeated at most the steps since then, each refused as a duplicate (or as stale while rejoining).
        Assert.InRange(group.RejectedPushes, 0, 12);
    }
}
