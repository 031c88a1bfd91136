using Accept.Training.Checkpointing;
using System.Text.Json;
using System.Text.Json.Nodes;
using Accept.Tests.Client;
using TinyRun = Accept.Tests.MultiTask.TinyRun;
using Accept.Training.Data;
using Accept.Training.Evaluation;
using Accept.Training.MultiTask;
using Accept.Training.Prediction;
using Accept.Training.Runs;
using Accept.Training.T5;

namespace Accept.Tests.Evaluation;

/// <summary>eval and predict on an in-process run of the tiny backbone: the same split scores the same, and training ends with test metrics.</summary>
[Trait("Category", "Fast")]
public sealed class RunEvaluationTests : IDisposable
{
    private readonly TinyRun _tiny = new();
    private readonly RunContext _context;
    private readonly T5Model _backbone;
    private readonly string _run;
    private readonly RunSummary _summary;

    public RunEvaluationTests()
    {
        _context = _tiny.Context();
        _backbone = T5Model.Load(_context.BackboneDirectory);
        using var run = RunDirectory.Create(Path.Combine(_tiny.Root, "runs"), "eval");
        using var trainer = MultiTaskTrainer.Start(_context, _backbone, run);
        _summary = trainer.Train();
        _run = run.Path;
    }

    public void Dispose()
    {
        _backbone.Dispose();
        _tiny.Dispose();
    }

    [Fact]
    public void Eval_scores_equal_the_scores_recomputed_from_predict_output_on_the_same_split()
    {
        var evaluation = RunEvaluator.Evaluate(_run, _context, _backbone, new EvalRequest(TaskSplit.Test, CheckpointChoice.Best));
        Assert.Equal(["copy", "mood"], evaluation.Tasks.Select(t => t.Task).Order());
        foreach (var task in _context.TaskNames)
        {
            var data = _context.Data[task];
            var examples = data.Examples(TaskSplit.Test);
            var input = Path.Combine(_tiny.Root, $"{task}-test.jsonl");
            File.WriteAllLines(input, examples.Select((e, i) => JsonSerializer.Serialize(new { id = $"x{i}", text = e.Input })));
            var output = Path.Combine(_tiny.Root, "out", $"{task}.jsonl");
            using (var trained = TrainedTaskLoader.Load(_run, _context.Spec, _context.Layout, task, CheckpointChoice.Best))
            {
                var decoder = TaskDecoder.For(_backbone, _context.Tokenizer, _context.Spec, _context.Task(task));
                var outcome = Predictor.Run(decoder, trained, _context.Task(task), new PredictionRequest(input, output, 3));
                Assert.Equal(examples.Count, outcome.Records);
                Assert.Equal(_summary.Tasks[task].BestStep, trained.Step);
            }
            var lines = File.ReadAllLines(output).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
            Assert.Equal(examples.Select((_, i) => $"x{i}"), lines.Select(l => (string)l["id"]!));
            Assert.Equal(examples.Select(e => e.Input), lines.Select(l => (string)l["input"]!));
            var predictions = lines.Select(l => (string)l["prediction"]!).ToList();

            var evaluated = evaluation.Tasks.Single(t => t.Task == task);
            Assert.Equal(evaluated.Predictions, predictions);
            var recomputed = data.Metrics.Score(predictions, data.References(TaskSplit.Test));
            Assert.Equal(evaluated.Metrics, recomputed);
            Assert.Equal(examples.Count, evaluated.Examples);
        }
    }

    [Fact]
    public void Training_ends_with_the_test_metrics_of_the_best_checkpoint_in_summary_json()
    {
        var written = JsonNode.Parse(File.ReadAllText(Path.Combine(_run, "summary.json")))!;
        var evaluation = RunEvaluator.Evaluate(_run, _context, _backbone, new EvalRequest(TaskSplit.Test, CheckpointChoice.Best));
        foreach (var task in evaluation.Tasks)
        {
            var test = written["tasks"]![task.Task]!["test"]!.AsObject();
            Assert.Equal(task.Entry().Keys, test.Select(p => p.Key));
            foreach (var (name, value) in task.Entry()) Assert.Equal(value, (double)test[name]!);
        }
        Assert.Equal(_context.Data["mood"].Test.Count, (double)written["tasks"]!["mood"]!["test"]!["examples"]!);
    }

    [Fact]
    public void The_commands_write_eval_json_predict_and_generate_with_a_trained_task_and_refuse_bad_values_in_one_line()
    {
        var (code, stdout, stderr) = AcceptProcess.Run(_tiny.Root, "eval", "--run", _run, "--split", "validation", "--which", "last", "--json");
        Assert.True(code == 0, stderr);
        var printed = JsonNode.Parse(stdout)!;
        var file = JsonNode.Parse(File.ReadAllText(Path.Combine(_run, RunEvaluation.FileName)))!;
        Assert.Equal(printed.ToJsonString(), file.ToJsonString());
        Assert.Equal("validation", (string)file["split"]!);
        Assert.Equal("last", (string)file["which"]!);
        Assert.Equal(6L, (long)file["checkpoints"]!["mood"]!["step"]!);
        var expected = RunEvaluator.Evaluate(_run, _context, _backbone, new EvalRequest(TaskSplit.Validation, CheckpointChoice.Last));
        Assert.Equal(expected.Tasks.Single(t => t.Task == "mood").Metrics[0].Value, (double)file["tasks"]!["mood"]!["accuracy"]!);
        Assert.Equal(_context.Data["copy"].Validation.Count, (double)file["tasks"]!["copy"]!["examples"]!);

        var input = Path.Combine(_tiny.Root, "words.csv");
        File.WriteAllLines(input, ["id,text", "1,say film", "2,say song"]);
        var output = Path.Combine(_tiny.Root, "words-out.jsonl");
        (code, stdout, stderr) = AcceptProcess.Run(_tiny.Root, "predict", "--run", _run, "--task", "copy", "--input", input, "--out", output, "--batch-size", "2");
        Assert.True(code == 0, stderr);
        Assert.Equal(output, stdout.TrimEnd().Split('\n')[^1]);
        Assert.Contains("tokens/s", stderr);
        var lines = File.ReadAllLines(output).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(["1", "2"], lines.Select(l => (string)l["id"]!));

        (code, stdout, stderr) = AcceptProcess.Run(_tiny.Root, "generate", "--run", _run, "--task", "copy", "--text", "say film");
        Assert.True(code == 0, stderr);
        Assert.Equal((string)lines[0]["prediction"]!, stdout.TrimEnd('\n'));

        (code, _, stderr) = AcceptProcess.Run(_tiny.Root, "predict", "--run", _run, "--task", "copy", "--input", input, "--out", output, "--batch-size", "0");
        Assert.Equal(1, code);
        Assert.Equal("error: --batch-size: expected 1 to 4096, found 0", stderr.Trim());

        File.WriteAllLines(input, ["id,body", "1,say film"]);
        (code, _, stderr) = AcceptProcess.Run(_tiny.Root, "predict", "--run", _run, "--task", "copy", "--input", input, "--out", output);
        Assert.Equal(1, code);
        Assert.Equal($"error: {input}, line 2, field 'text': missing field (fields present: id, body)", stderr.Trim());

        (code, _, stderr) = AcceptProcess.Run(_tiny.Root, "generate", "--run", _run, "--task", "copy", "--text", "x", "--max-new-tokens", "5");
        Assert.Equal(2, code);
        Assert.Equal("error: --max-new-tokens: expected 1 to task 'copy''s max_target_length 4, found 5", stderr.Trim());
    }
}
