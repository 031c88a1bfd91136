using System.Text.Json;
using Accept.Client.Cluster;
using Accept.GrainInterfaces.Jobs;
using Accept.GrainInterfaces.Tasks;
using Accept.Training.Config;

namespace Accept.Tests.Client.Commands;

/// <summary>`accept status` and `accept cancel` as separate processes against an embedded cluster's gateway.</summary>
[Trait("Category", "MultiProcess")]
public sealed class StatusAndCancelTests(EmbeddedClusterFixture fixture) : IClassFixture<EmbeddedClusterFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Status_shows_every_task_of_a_running_job_and_cancel_stops_it()
    {
        using var run = new TinyRun(steps: 100_000, evalEvery: 100_000);
        var job = await SubmitAsync(run);
        await WaitAsync(job, s => s.Tasks.Count == 2 && s.Tasks.All(t => t.Step > 0), "every task has stepped");

        var (code, stdout, stderr) = await AcceptProcess.RunAsync(Limit, ["status", "--job", job.GetPrimaryKeyString(), .. fixture.Flags]);
        Assert.True(code == 0, stderr);
        Assert.Contains(job.GetPrimaryKeyString(), stdout);
        foreach (var task in TinyRun.TaskNames)
        {
            Assert.Contains(task, stdout);
        }
        Assert.Contains("running", stdout);
        Assert.Contains("/100000", stdout);

        (code, stdout, stderr) = await AcceptProcess.RunAsync(Limit, ["status", "--job", job.GetPrimaryKeyString(), "--json", .. fixture.Flags]);
        Assert.True(code == 0, stderr);
        using (var json = JsonDocument.Parse(stdout))
        {
            var root = json.RootElement;
            Assert.Equal(job.GetPrimaryKeyString(), root.GetProperty("job").GetString());
            Assert.Equal("running", root.GetProperty("state").GetString());
            var tasks = root.GetProperty("tasks").EnumerateArray().ToList();
            Assert.Equal(TinyRun.TaskNames.Order(StringComparer.Ordinal), tasks.Select(t => t.GetProperty("name").GetString()));
            Assert.All(tasks, t =>
            {
                Assert.Equal(100_000, t.GetProperty("steps").GetInt64());
                Assert.True(t.GetProperty("step").GetInt64() > 0);
                Assert.StartsWith("silo-", t.GetProperty("silo").GetString());
                Assert.Equal(JsonValueKind.Number, t.GetProperty("loss").ValueKind);
                Assert.True(t.TryGetProperty("metric", out _) && t.TryGetProperty("codebook_version", out _));
            });
            // Two tasks on the embedded cluster's two workers: one each.
            Assert.Equal(2, tasks.Select(t => t.GetProperty("silo").GetString()).Distinct().Count());
        }

        (code, stdout, stderr) = await AcceptProcess.RunAsync(Limit, ["cancel", "--job", job.GetPrimaryKeyString(), .. fixture.Flags]);
        Assert.True(code == 0, stderr + stdout);

        var final = await WaitAsync(job, s => JobWatcher.IsFinal(s.State), "the job ended");
        Assert.Equal(JobState.Cancelled, final.State);
        Assert.All(final.Tasks, t => Assert.Equal(TaskState.Cancelled, t.State));
        Assert.All(final.Tasks, t => Assert.InRange(t.Step, 1, 99_999));
    }

    [Fact]
    public async Task Status_watch_follows_a_job_until_it_completes()
    {
        using var run = new TinyRun(steps: 4, evalEvery: 2);
        var job = await SubmitAsync(run);

        var (code, stdout, stderr) = await AcceptProcess.RunAsync(Limit, ["status", "--job", job.GetPrimaryKeyString(), "--watch", .. fixture.Flags]);

        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("completed", stdout);
        Assert.Contains("4/4", stdout);
        Assert.Equal(JobState.Completed, (await job.GetStatus()).State);
    }

    [Fact]
    public async Task Status_and_cancel_of_an_unknown_job_say_so()
    {
        var id = $"no-such-job-{Guid.NewGuid():N}"[..24];
        foreach (var command in new[] { "status", "cancel" })
        {
            var (code, _, stderr) = await AcceptProcess.RunAsync(Limit, [command, "--job", id, .. fixture.Flags]);
            Assert.Equal(2, code);
            Assert.Contains($"--job {id}: no such job", stderr);
        }
    }

    private async Task<IJobGrain> SubmitAsync(TinyRun run)
    {
        var spec = RunSpecAbsolutePaths.WithAbsolutePaths(RunSpecReader.Read(run.Spec));
        var job = fixture.Cluster.Client.GetGrain<IJobGrain>($"client-test-{Guid.NewGuid():N}"[..24]);
        var submitted = await job.Submit(new JobSubmission(RunSpecWriter.ToJson(spec), "tests"));
        Assert.NotEqual(JobState.Failed, submitted.State);
        return job;
    }

    private static async Task<JobStatus> WaitAsync(IJobGrain job, Func<JobStatus, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (true)
        {
            var status = await job.GetStatus();
            if (condition(status))
            {
                return status;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {Limit} for: {what}. Last status: {status}");
            }
            await Task.Delay(200);
        }
    }
}
