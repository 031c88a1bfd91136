using System.Diagnostics;
using Accept.Tests.Client;
using Accept.Tests.Cluster;

namespace Accept.Tests.MultiProcess;

/// <summary>
/// The coordinator silo process (job and codebook grains) is killed with SIGKILL mid-run: the job and
/// codebook grains come back from their checkpoints on the worker (the only silo left), the tasks retry
/// their pushes through the failover, and the client's run still finishes with every task at its last step.
/// </summary>
[Trait("Category", "MultiProcess")]
public sealed class CoordinatorFailoverTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private const int Steps = 60;

    [SkippableFact]
    public async Task A_run_survives_the_sigkill_of_its_coordinator_silo()
    {
        if (redis.Endpoint is null)
        {
            TestEnvironment.SkipOrFail(redis.Unavailable!);
        }
        Assert.True(File.Exists(SiloProcess.SiloAssembly), $"Build the silo first: {SiloProcess.SiloAssembly} is missing.");
        using var run = new TinyRun(Steps, evalEvery: Steps);
        File.WriteAllText(run.Spec, File.ReadAllText(run.Spec).Replace("\"checkpoint_every\": 0", "\"checkpoint_every\": 10", StringComparison.Ordinal));
        var clusterId = $"cf-{Guid.NewGuid():N}"[..20];
        var checkpoints = Path.Combine(run.Root, "checkpoints");
        Dictionary<string, string> Settings(string role) => new(SiloProcess.RedisSettings(redis.Endpoint!, clusterId, role))
        {
            // Fast failure detection: the killed silo is declared dead within seconds.
            ["Accept__Cluster__ProbeTimeoutSeconds"] = "1",
            ["Accept__Cluster__NumMissedProbesLimit"] = "2",
            ["Accept__Cluster__NumVotesForDeathDeclaration"] = "1",
            ["Accept__Cluster__TableRefreshSeconds"] = "1",
            ["Accept__Silo__RoundTimeoutSeconds"] = "5",
            ["Accept__Silo__PushWaitSeconds"] = "2",
            ["Accept__Checkpoints__Root"] = checkpoints,
        };

        await using var coordinator = SiloProcess.Start(Settings("coordinator"), TestEnvironment.FreePort());
        await using var worker = SiloProcess.Start(Settings("worker"), TestEnvironment.FreePort());
        await Task.WhenAll(coordinator.WaitHealthyAsync(TimeSpan.FromSeconds(90)), worker.WaitHealthyAsync(TimeSpan.FromSeconds(90)));

        var client = AcceptProcess.RunAsync(
            new Dictionary<string, string> { ["ACCEPT_STATE_DIR"] = run.Root },
            TimeSpan.FromMinutes(5),
            "train", "--spec", run.Spec, "--runs-dir", run.Runs, "--redis", redis.Endpoint!, "--cluster-id", clusterId);
        // Mid-run: once a task has checkpointed (step 10 of 60), the coordinator goes without a goodbye.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (!TaskCheckpointed(checkpoints))
        {
            Assert.False(client.IsCompleted, $"the run ended before the fault: {(client.IsCompleted ? client.Result.Out : "")}");
            Assert.True(DateTime.UtcNow < deadline, $"no task checkpoint within 3 minutes\ncoordinator:\n{coordinator.Output}\nworker:\n{worker.Output}");
            await Task.Delay(100);
        }
        Process.GetProcessById(coordinator.Process.Id).Kill();

        var (code, stdout, stderr) = await client;

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}\nworker:\n{worker.Output}");
        RunAssertions.AssertCompleted(AcceptProcess.LastLine(stdout), TinyRun.TaskNames, Steps);
    }

    private static bool TaskCheckpointed(string root) =>
        Directory.Exists(root) && Directory.EnumerateDirectories(root, "task-*", SearchOption.AllDirectories).Any(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories).Any());
}
