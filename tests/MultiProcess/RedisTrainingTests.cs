using System.Globalization;
using System.Text.RegularExpressions;
using Accept.Tests.Client;
using Accept.Tests.Cluster;

namespace Accept.Tests.MultiProcess;

/// <summary>
/// The product as operators run it: Redis on loopback, a coordinator and a worker silo as separate processes,
/// and `accept train --redis` as a third process that trains a small spec to completion.
/// </summary>
[Trait("Category", "MultiProcess")]
public sealed partial class RedisTrainingTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private const int Steps = 6;

    [SkippableFact]
    public async Task A_client_process_trains_a_spec_on_two_silo_processes_through_redis_and_the_silos_export_its_metrics()
    {
        if (redis.Endpoint is null)
        {
            TestEnvironment.SkipOrFail(redis.Unavailable!);
        }
        Assert.True(File.Exists(SiloProcess.SiloAssembly), $"Build the silo first: {SiloProcess.SiloAssembly} is missing.");
        using var run = new TinyRun(Steps, evalEvery: 3);
        var clusterId = $"mp-{Guid.NewGuid():N}"[..20];
        var checkpoints = Path.Combine(run.Root, "checkpoints");
        Dictionary<string, string> Settings(string role) => new()
        {
            ["Accept__Cluster__Clustering"] = "Redis",
            ["Accept__Cluster__RedisConnectionString"] = redis.Endpoint!,
            ["Accept__Cluster__ClusterId"] = clusterId,
            ["Accept__Cluster__ServiceId"] = clusterId,
            ["Accept__Cluster__AdvertisedAddress"] = "127.0.0.1",
            ["Accept__Cluster__GatewayPort"] = TestEnvironment.FreePort().ToString(CultureInfo.InvariantCulture),
            ["Accept__Silo__Role"] = role,
            ["Accept__Silo__Name"] = role,
            ["Accept__Silo__TorchThreads"] = "1",
            ["Accept__Checkpoints__Root"] = checkpoints,
        };

        await using var coordinator = SiloProcess.Start(Settings("coordinator"), TestEnvironment.FreePort());
        await using var worker = SiloProcess.Start(Settings("worker"), TestEnvironment.FreePort());
        await Task.WhenAll(coordinator.WaitHealthyAsync(TimeSpan.FromSeconds(90)), worker.WaitHealthyAsync(TimeSpan.FromSeconds(90)));

        var (code, stdout, stderr) = await AcceptProcess.RunAsync(
            new Dictionary<string, string> { ["ACCEPT_STATE_DIR"] = run.Root },
            TimeSpan.FromMinutes(4),
            "train", "--spec", run.Spec, "--runs-dir", run.Runs, "--redis", redis.Endpoint!, "--cluster-id", clusterId);

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}\ncoordinator:\n{coordinator.Output}\nworker:\n{worker.Output}");
        Assert.Contains("Redis membership", stdout);
        var directory = AcceptProcess.LastLine(stdout);
        RunAssertions.AssertCompleted(directory, TinyRun.TaskNames, Steps);
        Assert.All(TinyRun.TaskNames, task => Assert.Matches($@"{task}: completed .* on worker", stdout));
        // Checkpoints the silos wrote outside the run directory: eval reproduces the summary's test metrics, predict agrees.
        await Evaluation.RunEvaluationAssertions.AssertEvalAndPredictAgreeAsync(directory, run.Root, TinyRun.TaskNames, "sentiment");

        using var http = new HttpClient();
        var scrapes = new Dictionary<string, string>
        {
            ["coordinator"] = await http.GetStringAsync($"{coordinator.BaseAddress}/metrics"),
            ["worker"] = await http.GetStringAsync($"{worker.BaseAddress}/metrics"),
        };
        var job = Path.GetFileName(directory);
        // Task grains run only on the worker; every step is counted exactly once.
        foreach (var task in TinyRun.TaskNames)
        {
            Assert.Equal(Steps, Sample(scrapes["worker"], "accept_task_steps_total", job, task));
            Assert.Equal(0, Sample(scrapes["coordinator"], "accept_task_steps_total", job, task));
        }
        // The codebook grain lives on either silo; between them, each task's pushes were accepted.
        var accepted = scrapes.Values.Sum(s => SumSamples(s, "accept_codebook_pushes_total", job, "outcome=\"accepted\""));
        Assert.Equal(Steps * TinyRun.TaskNames.Length, accepted);
        Assert.Contains("# TYPE accept_task_steps_total counter", scrapes["worker"]);
        Assert.Contains(scrapes.Values, s => s.Contains("# TYPE accept_codebook_pushes_total counter", StringComparison.Ordinal));
        foreach (var scrape in scrapes.Values)
        {
            await Promtool.AssertAcceptableAsync(scrape);
        }
    }

    /// <summary>The value of a job and task's sample of a counter; 0 when the silo has none.</summary>
    private static double Sample(string scrape, string family, string job, string task) =>
        SumSamples(scrape, family, job, $"task=\"{task}\"");

    private static double SumSamples(string scrape, string family, string job, string labelFilter) =>
        scrape.Split('\n')
            .Where(line => line.StartsWith(family + "{", StringComparison.Ordinal) && line.Contains($"job=\"{job}\"", StringComparison.Ordinal) && line.Contains(labelFilter, StringComparison.Ordinal))
            .Sum(line => double.Parse(SampleValue().Match(line).Groups[1].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"\}\s+(\S+)")]
    private static partial Regex SampleValue();
}
