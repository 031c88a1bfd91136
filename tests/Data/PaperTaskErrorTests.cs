using System.Text.Json;
using Accept.Training.Data;
using Accept.Training.Data.Paper;

namespace Accept.Tests.Data;

/// <summary>Bad names, missing files and malformed records give errors that say what and where.</summary>
[Trait("Category", "Fast")]
public sealed class PaperTaskErrorTests : IDisposable
{
    private readonly DataFixture data = new();

    public void Dispose() => data.Dispose();

    [Fact]
    public void The_registry_has_the_papers_17_tasks()
    {
        Assert.Equal(
            ["mnli", "qqp", "qnli", "sst2", "stsb", "mrpc", "rte", "cola", "multirc", "boolq", "wic", "wsc", "cb", "nq", "hotpotqa", "searchqa", "newsqa"],
            PaperTasks.Names);
    }

    [Fact]
    public void An_unknown_task_lists_the_valid_names()
    {
        var error = Assert.Throws<ArgumentException>(() => PaperTasks.Load("squad", data.Root, new TaskLoadOptions()));

        Assert.Contains("unknown paper task 'squad'", error.Message);
        Assert.Contains(string.Join(", ", PaperTasks.Names), error.Message);
    }

    [Fact]
    public void A_missing_file_names_the_expected_path()
    {
        data.WriteLines("RTE/train.tsv", ["index\tsentence1\tsentence2\tlabel"]);

        var error = Assert.Throws<FileNotFoundException>(() => PaperTasks.Load("rte", data.Root, new TaskLoadOptions()));

        Assert.Contains(Path.Combine(data.Root, "RTE", "dev.tsv"), error.Message);
        Assert.Equal(["RTE/train.tsv", "RTE/dev.tsv"], PaperTasks.ExpectedFiles("rte"));
    }

    [Fact]
    public void An_unknown_label_names_file_line_field_and_the_expected_values()
    {
        var train = data.WriteLines("RTE/train.tsv", ["index\tsentence1\tsentence2\tlabel", "0\ta\tb\tentailment", "1\tc\td\tmaybe"]);
        data.WriteLines("RTE/dev.tsv", ["index\tsentence1\tsentence2\tlabel", "0\ta\tb\tentailment"]);

        var error = Assert.Throws<DataFormatException>(() => PaperTasks.Load("rte", data.Root, new TaskLoadOptions()));

        Assert.Equal(train, error.File);
        Assert.Equal(3, error.Line);
        Assert.Equal("label", error.Field);
        Assert.Contains("expected one of entailment, not_entailment, found 'maybe'", error.Message);
    }

    [Fact]
    public void A_short_tsv_row_names_the_first_missing_column()
    {
        data.WriteLines("CoLA/train.tsv", ["gj04\t1\t\tFine sentence.", "gj04\t1"]);
        data.WriteLines("CoLA/dev.tsv", ["gj04\t1\t\tFine."]);

        var error = Assert.Throws<DataFormatException>(() => PaperTasks.Load("cola", data.Root, new TaskLoadOptions()));

        Assert.Equal(2, error.Line);
        Assert.Equal("original_label", error.Field);
    }

    [Fact]
    public void A_non_numeric_stsb_score_and_a_wrongly_typed_json_label_are_named()
    {
        const string header = "index\tgenre\tfilename\tyear\told_index\tsource1\tsource2\tsentence1\tsentence2\tscore";
        data.WriteLines("STS-B/train.tsv", [header, "0\tg\tf\ty\t0\ts\ts\ta\tb\thigh"]);
        data.WriteLines("STS-B/dev.tsv", [header]);
        data.WriteLines("BoolQ/train.jsonl", [JsonSerializer.Serialize(new { question = "q", passage = "p", label = "yes" })]);
        data.WriteLines("BoolQ/val.jsonl", [JsonSerializer.Serialize(new { question = "q", passage = "p", label = true })]);

        var stsb = Assert.Throws<DataFormatException>(() => PaperTasks.Load("stsb", data.Root, new TaskLoadOptions()));
        var boolq = Assert.Throws<DataFormatException>(() => PaperTasks.Load("boolq", data.Root, new TaskLoadOptions()));

        Assert.Equal(("score", 2), (stsb.Field, stsb.Line));
        Assert.Contains("expected a number, found 'high'", stsb.Message);
        Assert.Equal(("label", 1), (boolq.Field, boolq.Line));
        Assert.Contains("expected true/false", boolq.Message);
    }

    [Fact]
    public void A_missing_nested_multirc_field_is_named()
    {
        data.WriteLines("MultiRC/train.jsonl", [JsonSerializer.Serialize(new { passage = new { text = "t", questions = new[] { new { question = "q" } } } })]);
        data.WriteLines("MultiRC/val.jsonl", [""]);

        var error = Assert.Throws<DataFormatException>(() => PaperTasks.Load("multirc", data.Root, new TaskLoadOptions()));

        Assert.Equal(("answers", 1), (error.Field, error.Line));
    }
}
