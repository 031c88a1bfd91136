using System.Text.Json;
using Accept.Training.Data;
using Accept.Training.Data.Paper;
using Accept.Training.Metrics;

namespace Accept.Tests.Data;

/// <summary>MRQA's gzipped JSONL (header line, then contexts with questions) becomes "question: … context: …"
/// with the first answer as target and every answer kept.</summary>
[Trait("Category", "Fast")]
public sealed class MrqaFormatTests : IDisposable
{
    private readonly DataFixture data = new();

    public void Dispose() => data.Dispose();

    private static string Header(string name) => JsonSerializer.Serialize(new { header = new { dataset = name, split = "train" } });

    private static string Context(string context, params (string Question, string[] Answers)[] qas) => JsonSerializer.Serialize(new
    {
        id = "c",
        context,
        qas = qas.Select((qa, i) => new { qid = $"q{i}", question = qa.Question, answers = qa.Answers }),
    });

    [Theory]
    [InlineData("nq", "NaturalQuestionsShort")]
    [InlineData("hotpotqa", "HotpotQA")]
    [InlineData("searchqa", "SearchQA")]
    [InlineData("newsqa", "NewsQA")]
    public void Each_mrqa_task_pads_punctuation_and_keeps_all_answers(string name, string file)
    {
        data.WriteGzipLines($"MRQA/train/{file}.jsonl.gz",
            [Header(file), .. Enumerable.Range(0, 1003).Select(i => Context($"Context {i}.", ($"Question {i}?", [$"answer {i}"])))]);
        data.WriteGzipLines($"MRQA/dev/{file}.jsonl.gz",
            [Header(file), Context("About 1,000 people (mostly locals) came.", ("How many came?", ["1,000 people", "about 1,000"]), ("Who came?", ["locals"]))]);

        var task = PaperTasks.Load(name, data.Root, new TaskLoadOptions { AddTaskPrefix = true });

        Assert.Equal(2, task.Test.Count);
        Assert.Equal(new Example($"{name} question: How many came ? context: About 1 , 000 people ( mostly locals ) came .", "1 , 000 people"), task.Test[0]);
        Assert.Equal(["1 , 000 people", "about 1 , 000"], task.TestAnswers![0]);
        Assert.Equal(["locals"], task.References(TaskSplit.Test)[1]);
        Assert.Equal(1000, task.Validation.Count);
        Assert.Equal(3, task.Train.Count);
        Assert.All(task.Validation.Zip(task.ValidationAnswers!), p => Assert.Equal(p.First.Target, p.Second[0]));
        Assert.Equal(MetricKind.TokenF1, task.Metric);
        Assert.Equal([MetricKind.ExactMatch], task.SecondaryMetrics);
        Assert.Null(task.Labels);
    }
}
