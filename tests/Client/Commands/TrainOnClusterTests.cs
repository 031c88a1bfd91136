using System.Diagnostics;
using System.Text.Json;
using Accept.Training.Runs;

namespace Accept.Tests.Client.Commands;

/// <summary>`accept train --spec` without --in-process and without cluster settings: an embedded two-silo cluster.</summary>
[Trait("Category", "MultiProcess")]
public sealed class TrainOnClusterTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Train_runs_on_an_embedded_cluster_writes_the_run_directory_and_prints_it_last()
    {
        using var run = new TinyRun(steps: 6, evalEvery: 3);

        var (code, stdout, stderr) = await AcceptProcess.RunAsync(Environment(run), Limit, "train", "--spec", run.Spec, "--runs-dir", run.Runs);

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Matches(@"job [a-z0-9._-]+ on embedded cluster of 2 worker silos", stdout);
        var directory = AcceptProcess.LastLine(stdout);
        Assert.StartsWith(run.Runs, directory);
        RunAssertions.AssertCompleted(directory, TinyRun.TaskNames, 6);
        // The job id is the run folder's name, remembered for `accept status` and `accept cancel` without --job.
        Assert.Equal(Path.GetFileName(directory), File.ReadAllText(Path.Combine(run.Root, "last-job")));
    }

    [Fact]
    public async Task Ctrl_C_cancels_the_job_and_still_writes_the_run_directory()
    {
        using var run = new TinyRun(steps: 100_000, evalEvery: 100_000);
        using var train = AcceptProcess.Start(Environment(run), "train", "--spec", run.Spec, "--runs-dir", run.Runs);
        await WaitForMetricsAsync(run.Runs);

        using (var kill = Process.Start("kill", ["-INT", train.Id.ToString()]))
        {
            await kill.WaitForExitAsync();
        }
        var (code, stdout, stderr) = await train.WaitAsync(Limit);

        Assert.True(code == 130, $"exit {code}\n{stdout}\n{stderr}");
        var directory = AcceptProcess.LastLine(stdout);
        Assert.StartsWith(run.Runs, directory);
        Assert.Contains("cancelled", stdout);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "summary.json")));
        foreach (var task in summary.RootElement.GetProperty("tasks").EnumerateObject())
        {
            Assert.InRange(task.Value.GetProperty("steps").GetInt64(), 1, 99_999);
        }
    }

    private static Dictionary<string, string> Environment(TinyRun run) => new()
    {
        ["ACCEPT_STATE_DIR"] = run.Root,
        ["ACCEPT_REDIS_CONNECTION_STRING"] = "",
    };

    /// <summary>Until the run's metrics.jsonl has a loss for a step: the job is training.</summary>
    private static async Task WaitForMetricsAsync(string runs)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (DateTime.UtcNow < deadline)
        {
            var metrics = Directory.Exists(runs) ? Directory.GetFiles(runs, "metrics.jsonl", SearchOption.AllDirectories).FirstOrDefault() : null;
            if (metrics is not null && RunDirectory.ReadMetrics(metrics).Any(r => r.Loss is not null))
            {
                return;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"No metrics under {runs} within {Limit}.");
    }
}
