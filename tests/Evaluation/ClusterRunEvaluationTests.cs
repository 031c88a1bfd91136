using System.Text.Json;
using System.Text.Json.Nodes;
using Accept.Tests.Client;
using Accept.Training.Config;
using Accept.Training.Data;
using Accept.Training.MultiTask;

namespace Accept.Tests.Evaluation;

/// <summary>eval and predict on a run the embedded cluster trained (task and codebook grains wrote its checkpoints).</summary>
[Trait("Category", "MultiProcess")]
public sealed class ClusterRunEvaluationTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task A_cluster_run_ends_with_test_metrics_that_eval_reproduces_and_predict_output_rescored_equals_eval()
    {
        using var run = new TinyRun(steps: 6, evalEvery: 3);
        var environment = new Dictionary<string, string> { ["ACCEPT_STATE_DIR"] = run.Root, ["ACCEPT_REDIS_CONNECTION_STRING"] = "" };
        var (code, stdout, stderr) = await AcceptProcess.RunAsync(environment, Limit, "train", "--spec", run.Spec, "--runs-dir", run.Runs);
        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        var directory = AcceptProcess.LastLine(stdout);

        (code, stdout, stderr) = await AcceptProcess.RunAsync(environment, Limit, "eval", "--run", directory, "--json");
        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        var evaluation = JsonNode.Parse(stdout)!;
        Assert.Equal("test", (string)evaluation["split"]!);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "summary.json")))!;

        var context = RunContext.Load(RunSpecReader.Read(Path.Combine(directory, "spec.json")), Path.Combine(run.Root, "unused"));
        foreach (var task in TinyRun.TaskNames)
        {
            var scored = evaluation["tasks"]![task]!.AsObject();
            Assert.Equal(scored.ToJsonString(), summary["tasks"]![task]!["test"]!.ToJsonString());
            Assert.Equal((long)summary["tasks"]![task]!["best_step"]!, (long)evaluation["checkpoints"]![task]!["step"]!);

            // One task's predict run is enough to show predict and eval share a path on this run; each CLI process costs seconds.
            if (task != "parity") continue;
            var data = context.Data[task];
            var input = Path.Combine(run.Root, $"{task}-test.jsonl");
            File.WriteAllLines(input, data.Test.Select(e => JsonSerializer.Serialize(new { text = e.Input })));
            var output = Path.Combine(run.Root, $"{task}-predictions.jsonl");
            (code, stdout, stderr) = await AcceptProcess.RunAsync(environment, Limit, "predict", "--run", directory, "--task", task, "--input", input, "--out", output);
            Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
            var predictions = File.ReadAllLines(output).Select(l => (string)JsonNode.Parse(l)!["prediction"]!).ToList();
            var rescored = data.Metrics.Score(predictions, data.References(TaskSplit.Test));
            Assert.Equal(data.Test.Count, (double)scored["examples"]!);
            foreach (var metric in rescored) Assert.Equal(metric.Value, (double)scored[metric.Name]!);
        }
    }
}
