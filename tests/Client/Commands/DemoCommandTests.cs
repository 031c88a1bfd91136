using System.Text.Json;
using Accept.Tests.Cluster;
using Accept.Training.Data.Demo;

namespace Accept.Tests.Client.Commands;

/// <summary>The README's main command, shortened with --steps: the demo tasks on the embedded cluster end to end.</summary>
[Trait("Category", "MultiProcess")]
public sealed class DemoCommandTests
{
    [SkippableFact]
    public async Task Demo_trains_the_three_demo_tasks_on_the_embedded_cluster_and_prints_the_run_directory_last()
    {
        if (DemoDatasets.FindOnPath("npm") is null)
        {
            TestEnvironment.SkipOrFail("npm is not on PATH (the demo's data sets come from npm)");
        }
        var runs = Directory.CreateTempSubdirectory("accept-demo-runs-").FullName;
        try
        {
            // The repository's cache, shared with the data tests and the user's own `accept demo`.
            var cache = Path.Combine(TestEnvironment.RepositoryRoot, ".cache");
            var (code, stdout, stderr) = await AcceptProcess.RunAsync(
                new Dictionary<string, string> { ["ACCEPT_STATE_DIR"] = runs, ["ACCEPT_REDIS_CONNECTION_STRING"] = "" },
                TimeSpan.FromMinutes(8),
                "demo", "--steps", "4", "--eval-every", "2", "--runs-dir", runs, "--cache-root", cache);

            Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
            Assert.Contains("untrained demo backbone", stdout);
            Assert.Contains("embedded cluster of 2 worker silos", stdout);
            Assert.Contains("majority baseline", stdout);
            var directory = AcceptProcess.LastLine(stdout);
            Assert.StartsWith(runs, directory);
            using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "summary.json")));
            var tasks = summary.RootElement.GetProperty("tasks");
            Assert.Equal(["party", "phonemes", "spam"], tasks.EnumerateObject().Select(t => t.Name).Order());
            foreach (var task in tasks.EnumerateObject())
            {
                Assert.Equal(4, task.Value.GetProperty("steps").GetInt64());
                Assert.True(task.Value.GetProperty("majority_baseline").ValueKind == JsonValueKind.Number, $"{task.Name} has no majority baseline");
            }
            Assert.Equal("accuracy", tasks.GetProperty("spam").GetProperty("metric_name").GetString());
            Assert.Equal("exact_match", tasks.GetProperty("phonemes").GetProperty("metric_name").GetString());
        }
        finally
        {
            Directory.Delete(runs, recursive: true);
        }
    }
}
