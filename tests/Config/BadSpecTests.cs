using System.Text;
using Accept.Training.Config;
using Accept.Training.Prompts;
using Accept.Training.T5;

namespace Accept.Tests.Config;

/// <summary>Issue 11, "Spec JSON" and "Sizes are never checked against memory": bad specs refused with one line naming the key.</summary>
[Trait("Category", "Fast")]
public sealed class BadSpecTests
{
    private const string TaskJson = """{ "name": "a", "source": "generic", "file": "a.jsonl", "input_field": "t", "target_field": "l", "metric": "accuracy" }""";

    private static readonly T5Config Tiny = new() { VocabSize = 512, DModel = 64, DKv = 16, DFf = 128, NumHeads = 4, NumLayers = 2, NumDecoderLayers = 2 };
    private static readonly T5Config Base = new() { VocabSize = 32128, DModel = 768, DKv = 64, DFf = 3072, NumHeads = 12, NumLayers = 12, NumDecoderLayers = 12 };

    [Theory]
    [InlineData("""{ "tasks": [TASK], "checkpoint_every": 1, "checkpoint_every": 2 }""", "checkpoint_every")]
    [InlineData("""{ "tasks": [TASK], "method": { "prompt_length": 4, "prompt_length": 5 } }""", "method.prompt_length")]
    [InlineData("""{ "tasks": [{ "name": "a", "name": "b", "source": "generic" }] }""", "tasks[0].name")]
    public void Duplicate_keys_are_refused_naming_the_path(string json, string path)
    {
        var error = Assert.Throws<SpecException>(() => RunSpecReader.Parse(json.Replace("TASK", TaskJson), "run.json"));
        Assert.Equal($"run.json: {path}: duplicate key (each key may appear once)", error.Message);
    }

    [Fact]
    public void Duplicate_labels_are_refused()
    {
        var json = """{ "tasks": [{ "name": "a", "source": "generic", "file": "a.jsonl", "input_field": "t", "target_field": "l", "metric": "accuracy", "labels": ["x", "y", "x"] }] }""";
        var error = Assert.Throws<SpecException>(() => RunSpecReader.Parse(json, "run.json"));
        Assert.Equal("run.json: tasks[0].labels[2]: \"x\" appears twice (every label once)", error.Message);
    }

    [Fact]
    public async Task A_spec_with_hundreds_of_thousands_of_tasks_is_read_in_linear_time()
    {
        // The issue's 520,000 tasks in the full campaign (ACCEPT_FUZZ_COUNT ≥ 1000); 130,000 in the fast suite, still minutes if quadratic.
        int count = FuzzCount.PerFamily >= 1000 ? 520_000 : 130_000;
        var json = new StringBuilder("{ \"tasks\": [");
        for (var i = 0; i < count; i++)
            json.Append(i == 0 ? "" : ",").Append($$"""{"name":"t{{i}}","source":"generic","file":"a.jsonl","input_field":"t","target_field":"l","metric":"accuracy","codebook_group":"g{{i % 7}}"}""");
        json.Append("] }");

        // Quadratic task → group lookups took minutes here; linear ones take seconds. The deadline is a hang guard, not a measurement.
        var spec = await Task.Run(() => RunSpecReader.Parse(json.ToString(), "big.json")).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(count, spec.Tasks.Count);
        Assert.Equal("g3", spec.Tasks[10].CodebookGroup);
        Assert.Equal(7, spec.CodebookGroups.Count);
    }

    [Theory]
    [InlineData("method.prompt_length", """ "method": { "prompt_length": 100000 } """)]
    [InlineData("method.max_length", """ "method": { "max_length": 100000 } """)]
    [InlineData("optimization.batch_size", """ "optimization": { "batch_size": 100000 } """)]
    [InlineData("max_target_length", """ "tasks": [{ "name": "a", "source": "generic", "file": "a.jsonl", "input_field": "t", "target_field": "l", "metric": "accuracy", "max_target_length": 2000000000 }] """)]
    public void A_step_that_cannot_fit_in_memory_is_refused_naming_the_keys(string key, string member)
    {
        var json = member.Contains("\"tasks\"") ? $"{{ {member} }}" : $"{{ \"tasks\": [{TaskJson}], {member} }}";
        var spec = RunSpecReader.Parse(json, "run.json");

        var error = Assert.Throws<SpecException>(() => StepMemoryEstimate.EnsureFits(spec, Base, limitBytes: 24.0 * (1L << 30)));

        Assert.Contains("a training step needs about", error.Message);
        Assert.Contains(key, error.Message);
        Assert.Contains(StepMemoryEstimate.LimitVariable, error.Message);
    }

    [Fact]
    public void The_papers_configuration_fits_on_t5_base_in_24_GiB_and_the_tiny_runs_fit_in_1_GiB()
    {
        var paper = RunSpecReader.Parse($"{{ \"tasks\": [{TaskJson}] }}", "run.json");
        StepMemoryEstimate.EnsureFits(paper, Base, limitBytes: 24.0 * (1L << 30));
        var tiny = RunSpecReader.Parse($$"""{ "tasks": [{{TaskJson}}], "method": { "prompt_length": 4, "max_length": 12 }, "optimization": { "batch_size": 4 } }""", "run.json");
        StepMemoryEstimate.EnsureFits(tiny, Tiny, limitBytes: 1L << 30);
        Assert.True(StepMemoryEstimate.For(paper, Base).TotalBytes > StepMemoryEstimate.For(tiny, Tiny).TotalBytes);
    }

    [Fact]
    public void A_parameter_count_that_overflows_is_refused_not_printed_negative()
    {
        var layout = new PromptLayout { DModel = 1 << 30, PromptLength = int.MaxValue, MaxLength = int.MaxValue, ScppSubDim = 1, ScppCodebookSize = int.MaxValue, Added = AddedKind.Dept, AddedSubDim = 1, AddedCodebookSize = 1, AddedRank = int.MaxValue, AddedAlpha = 8 }.Validated();
        var error = Assert.Throws<SpecException>(() => layout.Budget());
        Assert.Contains("overflows a 64-bit integer", error.Message);
    }

    [Fact]
    public void Max_consecutive_skips_reads_writes_and_refuses_negatives()
    {
        var spec = RunSpecReader.Parse($$"""{ "tasks": [{{TaskJson}}], "optimization": { "max_consecutive_skips": 3 } }""", "run.json");
        Assert.Equal(3, spec.Optimization.MaxConsecutiveSkips);
        Assert.Equal(spec.Optimization, RunSpecReader.Parse(RunSpecWriter.ToJson(spec), "again.json").Optimization);
        Assert.Equal(OptimizationSpec.DefaultMaxConsecutiveSkips, RunSpecReader.Parse($"{{ \"tasks\": [{TaskJson}] }}").Optimization.MaxConsecutiveSkips);
        var error = Assert.Throws<SpecException>(() => RunSpecReader.Parse($$"""{ "tasks": [{{TaskJson}}], "optimization": { "max_consecutive_skips": -1 } }""", "run.json"));
        Assert.Equal("run.json: optimization.max_consecutive_skips: expected a non-negative integer, got -1", error.Message);
    }
}
