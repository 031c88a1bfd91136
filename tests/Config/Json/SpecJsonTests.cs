using Accept.Training.Config;
using Accept.Training.Config.Json;

namespace Accept.Tests.Config.Json;

/// <summary>What System.Text.Json refuses becomes one line naming the file, the JSON path, what was expected there and what was found.</summary>
[Trait("Category", "Fast")]
public sealed class SpecJsonTests
{
    private const string Task = """{"name":"a","source":"demo","dataset":"spam"}""";

    [Theory]
    [InlineData("""{ "tasks": [{ "name": 5, "source": "demo" }] }""", "tasks[0].name: expected a non-empty string, got 5")]
    [InlineData("""{ "tasks": [TASK, 5] }""", "tasks[1]: expected an object, got 5")]
    [InlineData("""{ "tasks": {} }""", "tasks: expected an array, got an object")]
    [InlineData("5", "(top level): expected an object, got 5")]
    [InlineData("null", "(top level): expected an object, got null")]
    [InlineData("""{ "tasks": [TASK], "method": { "scpp": { "sub_dim": 1.5 } } }""", "method.scpp.sub_dim: expected an integer, got 1.5")]
    [InlineData("""{ "tasks": [TASK], "method": { "scpp": [] } }""", "method.scpp: expected an object, got an array")]
    [InlineData("""{ "tasks": [TASK], "method": { "prompt_tuning_baseline": "yes" } }""", "method.prompt_tuning_baseline: expected true or false, got \"yes\"")]
    [InlineData("""{ "tasks": [TASK], "optimization": { "seed": 1e300 } }""", "optimization.seed: expected an integer, got 1e300")]
    [InlineData("""{ "tasks": [TASK], "method": { "scpp": { "subdim": 3 } } }""", "method.scpp.subdim: unknown key (expected one of sub_dim, codebook_size)")]
    [InlineData("""{ "tasks": [TASK], "a.b": 1 }""",
        "a.b: unknown key (expected one of backbone, tasks, method, optimization, codebook_groups, aggregation, checkpoint_every, transfer)")]
    [InlineData("""{ "tasks": [TASK], "codebook_groups": { "g": ["a"], "g": ["a"] } }""", "codebook_groups.g: duplicate key (each key may appear once)")]
    [InlineData("""{ "tasks": [TASK], "codebook_groups": { "g": [5] } }""", "codebook_groups.g[0]: expected a non-empty string, got 5")]
    [InlineData("""{ "tasks": [TASK], "codebook_groups": { "g": [null] } }""", "codebook_groups.g[0]: expected a non-empty string, got null")]
    [InlineData("""{ "tasks": [{ "name": "a", "source": "demo", "dataset": "spam", "labels": ["x", 3] }] }""", "tasks[0].labels[1]: expected a non-empty string, got 3")]
    [InlineData("""{ "tasks": [null] }""", "tasks[0]: expected an object, got null")]
    [InlineData("""{ "tasks": [TASK], "transfer": { "source": "  " } }""", "transfer.source: expected a non-empty string, got \"  \"")]
    [InlineData("""{ "tasks": [TASK], "optimization": { "learning_rate": 1e400 } }""", "optimization.learning_rate: expected a positive number, got Infinity")]
    [InlineData("""{ "tasks": [{ "name": "\uD800", "source": "demo" }] }""", "tasks[0].name: expected a non-empty string, got \"\\uD800\" (not valid UTF-16: a lone surrogate)")]
    public void Refusals_name_the_path_what_was_expected_and_what_was_found(string json, string expected)
    {
        var error = Assert.Throws<SpecException>(() => RunSpecReader.Parse(json.Replace("TASK", Task), "run.json"));
        Assert.Equal($"run.json: {expected}", error.Message);
    }

    [Theory]
    [InlineData("""{ "tasks": [TASK] } x""", 1)]
    [InlineData("{\n  \"tasks\": [TASK],\n  \"method\": { \"prompt_length\": 4 \n", 4)]
    public void Invalid_json_names_its_line(string json, int line)
    {
        var error = Assert.Throws<SpecException>(() => RunSpecReader.Parse(json.Replace("TASK", Task), "run.json"));
        Assert.StartsWith($"run.json: invalid JSON at line {line}: ", error.Message);
    }

    [Fact]
    public void A_key_holding_a_newline_is_named_on_one_line()
    {
        var error = Assert.Throws<SpecException>(() => RunSpecReader.Parse($$"""{ "tasks": [{{Task}}], "method": { "odd\nkey": 1 } }""", "run.json"));
        Assert.StartsWith("run.json: method.odd\\nkey: unknown key (expected one of prompt_length, ", error.Message);
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData("$", "")]
    [InlineData("$.tasks[0].name", "tasks|0|name")]
    [InlineData("$.tasks[12]['odd.key']", "tasks|12|odd.key")]
    [InlineData("$['a b'].c['d']['e'']']", "a b|c|d|e'']")]
    public void System_text_json_paths_read_into_names_and_indices(string? path, string segments)
    {
        Assert.Equal(segments, string.Join("|", SpecPath.Segments(path)));
    }

    [Fact]
    public void Paths_display_as_error_lines_write_them()
    {
        Assert.Equal("tasks[3].labels[0]", SpecPath.Display(["tasks", 3, "labels", 0]));
        Assert.Equal("(top level)", SpecPath.Display([]));
        Assert.Equal("codebook_groups." + new string('g', 80) + "…", SpecPath.Display(["codebook_groups", new string('g', 100)]));
    }
}
