using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Accept.Tests.Client;
using Accept.Tests.Cluster;

namespace Accept.Tests.MultiProcess;

/// <summary>
/// The product as operators run it: Redis on loopback, a coordinator and two worker silos as separate processes,
/// and `accept train --redis` as another process that trains a small three-task spec to completion; the
/// tasks spread over both workers (2 + 1) and `accept status --json` says where each ran.
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
        // A third task (parity again, under another name): 3 tasks on 2 workers must split 2 + 1.
        var spec = JsonNode.Parse(File.ReadAllText(run.Spec))!;
        var tasks = spec["tasks"]!.AsArray();
        var copy = tasks.Single(t => (string?)t!["name"] == "parity")!.DeepClone();
        copy["name"] = "parity-b";
        tasks.Add(copy);
        File.WriteAllText(run.Spec, spec.ToJsonString());
        string[] taskNames = [.. TinyRun.TaskNames, "parity-b"];
        var clusterId = $"mp-{Guid.NewGuid():N}"[..20];
        var checkpoints = Path.Combine(run.Root, "checkpoints");
        Dictionary<string, string> Settings(string role) => new()
        {
            ["Accept__Cluster__Clustering"] = "Redis",
            ["Accept__Cluster__RedisConnectionString"] = redis.Endpoint!,
            ["Accept__Cluster__ClusterId"] = clusterId,
            ["Accept__Cluster__AdvertisedAddress"] = "127.0.0.1",
            ["Accept__Cluster__GatewayPort"] = TestEnvironment.FreePort().ToString(CultureInfo.InvariantCulture),
            ["Accept__Silo__Role"] = role.Split('-')[0],
            ["Accept__Silo__Name"] = role,
            ["Accept__Silo__TorchThreads"] = "1",
            ["Accept__Checkpoints__Root"] = checkpoints,
        };

        await using var coordinator = SiloProcess.Start(Settings("coordinator"), TestEnvironment.FreePort());
        await using var workerA = SiloProcess.Start(Settings("worker-a"), TestEnvironment.FreePort());
        await using var workerB = SiloProcess.Start(Settings("worker-b"), TestEnvironment.FreePort());
        await Task.WhenAll(coordinator.WaitHealthyAsync(TimeSpan.FromSeconds(90)), workerA.WaitHealthyAsync(TimeSpan.FromSeconds(90)),
            workerB.WaitHealthyAsync(TimeSpan.FromSeconds(90)));

        var (code, stdout, stderr) = await AcceptProcess.RunAsync(
            new Dictionary<string, string> { ["ACCEPT_STATE_DIR"] = run.Root },
            TimeSpan.FromMinutes(4),
            "train", "--spec", run.Spec, "--runs-dir", run.Runs, "--redis", redis.Endpoint!, "--cluster-id", clusterId);

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}\ncoordinator:\n{coordinator.Output}\nworker-a:\n{workerA.Output}\nworker-b:\n{workerB.Output}");
        Assert.Contains("Redis membership", stdout);
        var directory = AcceptProcess.LastLine(stdout);
        RunAssertions.AssertCompleted(directory, taskNames, Steps);
        Assert.All(taskNames, task => Assert.Matches($@"{task}: completed .* on worker-[ab]", stdout));

        // The last job submitted (recorded under ACCEPT_STATE_DIR), as a script reads it.
        (code, var json, stderr) = await AcceptProcess.RunAsync(
            new Dictionary<string, string> { ["ACCEPT_STATE_DIR"] = run.Root },
            TimeSpan.FromMinutes(1),
            "status", "--json", "--redis", redis.Endpoint!, "--cluster-id", clusterId);
        Assert.True(code == 0, stderr);
        using var status = JsonDocument.Parse(json);
        Assert.Equal("completed", status.RootElement.GetProperty("state").GetString());
        var silos = status.RootElement.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("silo").GetString()).ToList();
        Assert.Equal(3, silos.Count);
        Assert.Equal([1, 2], silos.GroupBy(s => s).Select(g => g.Count()).Order());
        Assert.All(silos, s => Assert.StartsWith("worker-", s));

        // Checkpoints the silos wrote outside the run directory: eval reproduces the summary's test metrics, predict agrees.
        await Evaluation.RunEvaluationAssertions.AssertEvalAndPredictAgreeAsync(directory, run.Root, taskNames, taskNames[0]);

        using var http = new HttpClient();
        var scrapes = new Dictionary<string, string>
        {
            ["coordinator"] = await http.GetStringAsync($"{coordinator.BaseAddress}/metrics"),
            ["worker-a"] = await http.GetStringAsync($"{workerA.BaseAddress}/metrics"),
            ["worker-b"] = await http.GetStringAsync($"{workerB.BaseAddress}/metrics"),
        };
        var job = Path.GetFileName(directory);
        // Task grains run only on workers; every step is counted exactly once, on the worker status names.
        var silosByTask = status.RootElement.GetProperty("tasks").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("silo").GetString()!);
        foreach (var task in taskNames)
        {
            Assert.Equal(Steps, Sample(scrapes[silosByTask[task]], "accept_task_steps_total", job, task));
            Assert.Equal(0, Sample(scrapes["coordinator"], "accept_task_steps_total", job, task));
        }
        // The codebook grain lives on either silo; between them, each task's pushes were accepted.
        var accepted = scrapes.Values.Sum(s => SumSamples(s, "accept_codebook_pushes_total", job, "outcome=\"accepted\""));
        Assert.Equal(Steps * taskNames.Length, accepted);
        Assert.All(["worker-a", "worker-b"], w => Assert.Contains("# TYPE accept_task_steps_total counter", scrapes[w]));
        Assert.Contains(scrapes.Values, s => s.Contains("# TYPE accept_codebook_pushes_total counter", StringComparison.Ordinal));
        foreach (var scrape in scrapes.Values)
        {
            await Promtool.AssertAcceptableAsync(scrape);
        }

        // The run directory names the silos' checkpoint root (outside it); export and resume read it from there.
        var location = Accept.Training.Checkpointing.RunCheckpointLocation.Read(directory);
        Assert.Equal(("directory", Path.GetFullPath(checkpoints)), (location.Kind, location.Root));
        (code, stdout, stderr) = await AcceptProcess.RunAsync(null, TimeSpan.FromMinutes(2), "export", "--run", directory, "--out", Path.Combine(run.Root, "export"));
        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        Assert.All(taskNames, task => Assert.True(File.Exists(Path.Combine(run.Root, "export", task, "prompts.safetensors")), task));

        (code, stdout, stderr) = await AcceptProcess.RunAsync(
            new Dictionary<string, string> { ["ACCEPT_STATE_DIR"] = run.Root },
            TimeSpan.FromMinutes(4),
            "train", "--resume", directory, "--steps", "9", "--redis", redis.Endpoint!, "--cluster-id", clusterId);
        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}\ncoordinator:\n{coordinator.Output}\nworker-a:\n{workerA.Output}\nworker-b:\n{workerB.Output}");
        Assert.Equal(directory, AcceptProcess.LastLine(stdout));
        Assert.Contains("resuming from step 6", stdout);
        RunAssertions.AssertCompleted(directory, taskNames, 9);
        Assert.NotEqual(location.Job, Accept.Training.Checkpointing.RunCheckpointLocation.Read(directory).Job);
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
