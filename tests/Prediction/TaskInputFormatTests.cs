using System.Text.Json;
using Accept.Tests.Data;
using Accept.Training.Config;
using Accept.Training.Data.Paper;
using Accept.Training.Prediction;

namespace Accept.Tests.Prediction;

/// <summary>A prediction input becomes exactly the encoder input training read for the same source record.</summary>
[Trait("Category", "Fast")]
public sealed class TaskInputFormatTests : IDisposable
{
    private readonly DataFixture data = new();

    public void Dispose() => data.Dispose();

    private static TaskSpec Paper(string dataset, string path) =>
        RunSpecReader.Parse($$"""{ "backbone": "/b", "tasks": [ { "name": "t", "source": "paper", "dataset": "{{dataset}}", "path": {{JsonSerializer.Serialize(path)}} } ] }""", "s.json").Tasks[0];

    [Fact]
    public void Mnli_fields_format_as_its_training_inputs()
    {
        const string header = "index\tpromptID\tpairID\tgenre\tsentence1_binary_parse\tsentence2_binary_parse\tsentence1_parse\tsentence2_parse\tsentence1\tsentence2\tlabel1\tgold_label";
        static string Row(string p, string h) => $"0\t1\t1g\tfiction\t( x )\t( y )\t(ROOT x)\t(ROOT y)\t{p}\t{h}\tneutral\tneutral";
        data.WriteLines("MNLI/train.tsv", [header, Row("The cat \"sat\".", "A cat is sitting.")]);
        data.WriteLines("MNLI/dev_mismatched.tsv", [header, Row("a", "b")]);
        data.WriteLines("MNLI/dev_matched.tsv", [header, Row("c", "d")]);
        var trained = PaperTasks.Load("mnli", data.Root, new TaskLoadOptions()).Train[0].Input;

        var format = TaskInputFormat.For(Paper("mnli", data.Root));
        Assert.Equal(["premise", "hypothesis"], format.Fields);
        var fields = new Dictionary<string, string> { ["premise"] = "The cat \"sat\".", ["hypothesis"] = "A cat is sitting." };
        Assert.Equal(trained, format.Format(f => fields[f]));
    }

    [Fact]
    public void Mrqa_fields_are_punctuation_padded_as_in_training()
    {
        string[] lines =
        [
            """{"header": {"dataset": "NewsQA"}}""",
            """{"context": "Paris, the capital (of France).", "qas": [{"question": "What's the capital?", "answers": ["Paris"]}]}""",
        ];
        data.WriteGzipLines("MRQA/train/NewsQA.jsonl.gz", [lines[0], .. Enumerable.Repeat(lines[1], 1001)]);
        data.WriteGzipLines("MRQA/dev/NewsQA.jsonl.gz", lines);
        var trained = PaperTasks.Load("newsqa", data.Root, new TaskLoadOptions()).Train[0].Input;

        var fields = new Dictionary<string, string> { ["question"] = "What's the capital?", ["context"] = "Paris, the capital (of France)." };
        Assert.Equal(trained, TaskInputFormat.For(Paper("newsqa", data.Root)).Format(f => fields[f]));
    }

    [Fact]
    public void Generic_tasks_read_their_input_field_and_input_field_overrides_it()
    {
        var task = RunSpecReader.Parse("""{ "backbone": "/b", "tasks": [ { "name": "g", "source": "generic", "file": "/x.jsonl", "input_field": "text", "target_field": "label", "metric": "accuracy" } ] }""", "s.json").Tasks[0];
        Assert.Equal("hello  there", TaskInputFormat.For(task).Format(f => f == "text" ? "hello  there" : throw new KeyNotFoundException(f)));
        Assert.Equal(["body"], TaskInputFormat.For(task, "body").Fields);
        // A paper task with --input-field reads that field as the formatted encoder input.
        Assert.Equal("premise: a hypothesis: b", TaskInputFormat.For(Paper("mnli", "/d"), "encoded").Format(_ => "premise: a hypothesis: b"));
    }
}
