using Accept.GrainInterfaces;
using Accept.GrainInterfaces.Codebooks;
using Accept.GrainInterfaces.Jobs;
using Accept.GrainInterfaces.Tasks;
using Orleans.TestingHost;

namespace Accept.Tests.Grains;

/// <summary>
/// The coordinator side under trouble: a sync round held open by a member that never pushes must not hold
/// up the job's status calls and continues without it; the silo hosting the codebook grain dies mid-run and
/// the tasks' pushes are retried until the group is back (restored from its checkpoint) on another silo.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class FailoverTests
{
    private const int Steps = 40;

    [Fact]
    public async Task A_job_answers_its_status_while_a_round_waits_for_a_member_that_never_pushes_and_the_round_goes_on_without_it()
    {
        using var run = new TinyRun();
        const double roundTimeout = 6;
        await using var cluster = GrainSiloConfigurator.Build(run.Checkpoints, workers: 2, roundTimeoutSeconds: roundTimeout, pushWaitSeconds: 1);
        await cluster.DeployAsync();
        var job = cluster.Client.GetGrain<IJobGrain>("ghost-round");
        var group = cluster.Client.GetGrain<ICodebookGrain>(GrainKeys.Codebook("ghost-round", "shared"));

        await job.Submit(new JobSubmission(run.Spec(steps: 8, checkpointEvery: 4, evalEvery: 8), null));
        // A member that joins and never pushes: the next round waits for it until the round timeout.
        await group.Join("ghost");
        await WaitUntil(async () => (await group.GetStatus()).PendingPushes == 2, TimeSpan.FromSeconds(30), "both tasks waiting on the ghost's round");

        // Several push waits (1 s each) pass while the round stays open; the job answers every call at once.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var calls = 0;
        while (watch.Elapsed < TimeSpan.FromSeconds(3))
        {
            var status = await job.GetStatus().WaitAsync(TimeSpan.FromSeconds(2));
            Assert.Equal(JobState.Running, status.State);
            Assert.All(status.Tasks, t => Assert.Equal(TaskState.Running, t.State));
            Assert.Equal(2, status.CodebookGroups.Single().PendingPushes);
            calls++;
        }
        Assert.True(calls > 1);
        var open = await group.GetStatus();
        var end = await GrainTestHelpers.WaitForEnd(job, TimeSpan.FromSeconds(60));
        var closed = await group.GetStatus();
        var results = await job.GetResults();

        Assert.Contains("ghost", open.Members);
        Assert.Equal(JobState.Completed, end.State);
        Assert.DoesNotContain("ghost", closed.Members);
        Assert.All(results.Tasks, r => Assert.Equal(8, r.Summary!.Steps));
        Assert.Equal(new Dictionary<string, long> { ["parity"] = 8, ["topic"] = 8 }, closed.LastSteps);
        // Pushes repeated while their round was pending were counted once.
        Assert.Equal(16, closed.AppliedGradients);
        Assert.Equal(closed.AcceptedPushes, closed.AppliedGradients);
    }

    [Fact]
    public async Task Pushes_during_the_loss_of_the_codebook_grains_silo_are_retried_until_the_group_is_restored_elsewhere_and_the_job_completes()
    {
        using var run = new TinyRun();
        await using var cluster = GrainSiloConfigurator.Build(run.Checkpoints, workers: 2, roundTimeoutSeconds: 3, fastFailureDetection: true,
            pushWaitSeconds: 1, coordinators: 2);
        await cluster.DeployAsync();
        var doomed = cluster.Silos.Single(s => s.Name == "Secondary_1");
        var jobId = await JobWithGroupOn(cluster, doomed);
        var job = cluster.Client.GetGrain<IJobGrain>(jobId);
        var group = cluster.Client.GetGrain<ICodebookGrain>(GrainKeys.Codebook(jobId, "shared"));
        var parity = cluster.Client.GetGrain<ITaskGrain>(GrainKeys.Task(jobId, "parity"));

        await job.Submit(new JobSubmission(run.Spec(steps: Steps, checkpointEvery: 5, evalEvery: Steps), null));
        await GrainTestHelpers.WaitForStep(parity, 12, TimeSpan.FromSeconds(60));
        // Killed while pushes wait in an open round, so they are lost in flight: a member that never pushes holds
        // the next round open (until the round timeout) for as long as it takes to see both tasks waiting in it.
        await group.Join("ghost");
        await WaitUntil(async () => (await group.GetStatus()).PendingPushes == 2, TimeSpan.FromSeconds(30), "both tasks' pushes waiting in a round");
        await cluster.KillSiloAsync(doomed);
        var end = await WaitForEndThroughFailover(job, TimeSpan.FromSeconds(120));
        var results = await job.GetResults();
        var restored = await group.GetStatus();
        var host = await cluster.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(group);

        Assert.True(end.State == JobState.Completed, $"job ended {end.State}: {end.Error}");
        Assert.NotEqual(doomed.SiloAddress, host);
        Assert.All(results.Tasks, r => Assert.Equal((TaskState.Completed, (long)Steps), (r.State, r.Summary!.Steps)));
        Assert.Equal(new Dictionary<string, long> { ["parity"] = Steps, ["topic"] = Steps }, restored.LastSteps);
        // Every task step counted at most once across the failover (steps after the group's checkpoint are
        // re-done against the restored codebooks, never added twice).
        Assert.InRange(restored.AppliedGradients, Steps, 2 * Steps);
    }

    /// <summary>A job id whose codebook grain activates on <paramref name="silo"/> (placement among coordinators is random).</summary>
    private static async Task<string> JobWithGroupOn(TestCluster cluster, SiloHandle silo)
    {
        var management = cluster.Client.GetGrain<IManagementGrain>(0);
        for (var i = 0; i < 50; i++)
        {
            var job = $"failover-{i}";
            var group = cluster.Client.GetGrain<ICodebookGrain>(GrainKeys.Codebook(job, "shared"));
            // Activates it (an uninitialised group answers with an error, and stays where it was placed).
            await Assert.ThrowsAnyAsync<Exception>(() => group.GetStatus());
            if (await management.GetActivationAddress(group) == silo.SiloAddress)
            {
                return job;
            }
        }
        throw new InvalidOperationException($"Placement never put a codebook grain on {silo.Name} in 50 tries.");
    }

    /// <summary>Polls the job until it ends; calls that fail while the dead silo is not yet declared dead are retried.</summary>
    private static async Task<JobStatus> WaitForEndThroughFailover(IJobGrain job, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                var status = await job.GetStatus();
                if (status.State != JobState.Running)
                {
                    return status;
                }
            }
            catch (Exception e) when (e is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException)
            {
                // The job grain was on the lost silo: it comes back from its checkpoint once the silo is declared dead.
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The job did not end within {timeout} of the failover.");
            }
            await Task.Delay(100);
        }
    }

    private static async Task WaitUntil(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {timeout} for {what}.");
            }
            await Task.Delay(50);
        }
    }
}
