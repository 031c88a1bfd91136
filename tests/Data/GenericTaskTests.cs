using System.Text.Json;
using Accept.Training.Data;
using Accept.Training.Data.Generic;
using Accept.Training.Metrics;

namespace Accept.Tests.Data;

[Trait("Category", "Fast")]
public sealed class GenericTaskTests : IDisposable
{
    private readonly DataFixture data = new();

    public void Dispose() => data.Dispose();

    [Fact]
    public void Csv_fields_keep_quoted_commas_doubled_quotes_and_line_breaks()
    {
        var path = data.Write("reviews.csv",
            "id,text,label\r\n" +
            "1,\"Good, solid \"\"value\"\"\",pos\r\n" +
            "2,\"Broke after\na week\",neg\r\n" +
            "3,plain text,pos\r\n");

        var task = GenericTasks.Load(new GenericTaskSpec
        {
            Name = "reviews", File = path, InputField = "text", TargetField = "label",
            TrainFraction = 1.0, ValidationFraction = 0,
        });

        Assert.Equal(
            [new Example("Broke after\na week", "neg"), new Example("Good, solid \"value\"", "pos"), new Example("plain text", "pos")],
            task.Train.OrderBy(e => e.Input, StringComparer.Ordinal));
    }

    [Fact]
    public void Jsonl_train_validation_and_test_files_are_used_as_given()
    {
        string Line(string q, object a) => JsonSerializer.Serialize(new { question = q, answer = a, other = 1 });
        var train = data.WriteLines("train.jsonl", [Line("2+2", 4), Line("capital of France", "Paris")]);
        var validation = data.WriteLines("dev.jsonl", [Line("3+3", 6)]);
        var test = data.WriteLines("test.jsonl", [Line("is ice cold", true)]);

        var task = GenericTasks.Load(new GenericTaskSpec
        {
            Name = "qa", TrainFile = train, ValidationFile = validation, TestFile = test,
            InputField = "question", TargetField = "answer", Metric = MetricKind.ExactMatch,
        });

        Assert.Equal([new Example("2+2", "4"), new Example("capital of France", "Paris")], task.Train);
        Assert.Equal([new Example("3+3", "6")], task.Validation);
        Assert.Equal([new Example("is ice cold", "true")], task.Test);
        Assert.Equal(MetricKind.ExactMatch, task.Metric);
    }

    [Fact]
    public void One_file_is_cut_by_fractions_deterministically_and_disjointly()
    {
        var path = data.WriteLines("all.jsonl", Enumerable.Range(0, 100).Select(i => JsonSerializer.Serialize(new { x = $"in {i}", y = $"out {i}" })));
        var spec = new GenericTaskSpec { Name = "all", File = path, InputField = "x", TargetField = "y", TrainFraction = 0.7, ValidationFraction = 0.2, Seed = 3 };

        var task = GenericTasks.Load(spec);
        var again = GenericTasks.Load(spec);

        Assert.Equal((70, 20, 10), (task.Train.Count, task.Validation.Count, task.Test.Count));
        Assert.Equal(100, task.Train.Concat(task.Validation).Concat(task.Test).Distinct().Count());
        Assert.Equal(task.Test, again.Test);
    }

    [Fact]
    public void Train_and_validation_without_test_follow_the_paper_rule()
    {
        var train = data.WriteLines("train.jsonl", Enumerable.Range(0, 30).Select(i => JsonSerializer.Serialize(new { x = $"t{i}", y = "a" })));
        var validation = data.WriteLines("dev.jsonl", Enumerable.Range(0, 10).Select(i => JsonSerializer.Serialize(new { x = $"d{i}", y = "b" })));

        var task = GenericTasks.Load(new GenericTaskSpec { Name = "t", TrainFile = train, ValidationFile = validation, InputField = "x", TargetField = "y" });

        Assert.Equal((30, 5, 5), (task.Train.Count, task.Validation.Count, task.Test.Count));
    }

    [Fact]
    public void A_missing_field_is_reported_with_file_line_and_field()
    {
        var path = data.WriteLines("bad.jsonl", [JsonSerializer.Serialize(new { text = "a", label = "x" }), JsonSerializer.Serialize(new { text = "b" })]);

        var error = Assert.Throws<DataFormatException>(() => GenericTasks.Load(new GenericTaskSpec { Name = "bad", File = path, InputField = "text", TargetField = "label" }));

        Assert.Equal(path, error.File);
        Assert.Equal(2, error.Line);
        Assert.Equal("label", error.Field);
        Assert.Contains($"{path}, line 2, field 'label': missing field", error.Message);
    }

    [Fact]
    public void A_csv_record_with_too_few_fields_names_the_line_it_starts_on()
    {
        var path = data.Write("bad.csv", "text,label\n\"multi\nline\",ok\nonly one field\n");

        var error = Assert.Throws<DataFormatException>(() => GenericTasks.Load(new GenericTaskSpec { Name = "bad", File = path, InputField = "text", TargetField = "label" }));

        Assert.Equal(4, error.Line);
        Assert.Equal("label", error.Field);
        Assert.Contains("expected 2 comma-separated fields", error.Message);
    }

    [Fact]
    public void A_target_outside_the_declared_labels_is_an_error_naming_the_labels_not_the_value()
    {
        var path = data.Write("labels.csv", "text,label\nfine,pos\nodd,maybe\n");

        var error = Assert.Throws<DataFormatException>(() => GenericTasks.Load(new GenericTaskSpec
        {
            Name = "l", File = path, InputField = "text", TargetField = "label", Labels = ["pos", "neg"],
        }));

        Assert.Equal(3, error.Line);
        Assert.Contains("(pos, neg)", error.Message);
        Assert.DoesNotContain("maybe", error.Message);
    }

    [Fact]
    public void Invalid_json_and_unsupported_extensions_are_reported()
    {
        var json = data.WriteLines("broken.jsonl", ["{\"x\": \"a\", \"y\": \"b\"}", "{\"x\": "]);
        var other = data.Write("data.txt", "x");

        var jsonError = Assert.Throws<DataFormatException>(() => GenericTasks.Load(new GenericTaskSpec { Name = "b", File = json, InputField = "x", TargetField = "y" }));
        var typeError = Assert.Throws<ArgumentException>(() => GenericTasks.Load(new GenericTaskSpec { Name = "b", File = other, InputField = "x", TargetField = "y" }));

        Assert.Equal(2, jsonError.Line);
        Assert.Contains("not valid JSON", jsonError.Message);
        Assert.Contains("expected .jsonl, .jsonl.gz or .csv", typeError.Message);
    }
}
