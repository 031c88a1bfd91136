using System.Text.Json;
using System.Text.Json.Nodes;
using Accept.Tests.Client;
using Accept.Training.Config;
using Accept.Training.Data;
using Accept.Training.MultiTask;

namespace Accept.Tests.Evaluation;

/// <summary>What every completed run must satisfy, whichever mode trained it: `accept eval` reproduces summary.json's
/// test metrics from the run's checkpoints, and `accept predict` over a task's test split, rescored, equals eval.</summary>
internal static class RunEvaluationAssertions
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);

    /// <param name="predictTask">The task predict runs over its test split (one is enough: each CLI process costs seconds).</param>
    public static async Task AssertEvalAndPredictAgreeAsync(string directory, string scratch, IReadOnlyList<string> tasks, string predictTask,
        IDictionary<string, string>? environment = null)
    {
        var (code, stdout, stderr) = await AcceptProcess.RunAsync(environment, Limit, "eval", "--run", directory, "--json");
        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        var evaluation = JsonNode.Parse(stdout)!;
        Assert.Equal("test", (string)evaluation["split"]!);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "summary.json")))!;
        foreach (var task in tasks)
        {
            Assert.Equal(evaluation["tasks"]![task]!.ToJsonString(), summary["tasks"]![task]!["test"]!.ToJsonString());
            Assert.Equal((long)summary["tasks"]![task]!["best_step"]!, (long)evaluation["checkpoints"]![task]!["step"]!);
        }

        var context = RunContext.Load(RunSpecReader.Read(Path.Combine(directory, "spec.json")), Path.Combine(scratch, "unused"));
        var data = context.Data[predictTask];
        var input = Path.Combine(scratch, $"{predictTask}-test.jsonl");
        File.WriteAllLines(input, data.Test.Select(e => JsonSerializer.Serialize(new { text = e.Input })));
        var output = Path.Combine(scratch, $"{predictTask}-predictions.jsonl");
        (code, stdout, stderr) = await AcceptProcess.RunAsync(environment, Limit, "predict", "--run", directory, "--task", predictTask, "--input", input, "--out", output);
        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        var predictions = File.ReadAllLines(output).Select(l => (string)JsonNode.Parse(l)!["prediction"]!).ToList();
        var scored = evaluation["tasks"]![predictTask]!;
        Assert.Equal(data.Test.Count, (double)scored["examples"]!);
        foreach (var metric in data.Metrics.Score(predictions, data.References(TaskSplit.Test)))
            Assert.Equal(metric.Value, (double)scored[metric.Name]!);
    }
}
