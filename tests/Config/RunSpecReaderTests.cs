using Accept.Client.Commands;
using Accept.Training.Config;
using Accept.Training.Metrics;
using Accept.Training.Prompts;

namespace Accept.Tests.Config;

[Trait("Category", "Fast")]
public class RunSpecReaderTests
{
    private const string Full = """
    {
      // comments are allowed
      "backbone": "models/t5-base",
      "tasks": [
        { "name": "rte", "source": "paper", "path": "data/glue/RTE", "codebook_group": "glue" },
        { "name": "mrpc", "source": "paper", "path": "data/glue/MRPC", "max_length": 128 },
        { "name": "reviews", "source": "generic", "file": "data/reviews.csv", "input_field": "text",
          "target_field": "label", "metric": "matthews_correlation", "max_train_examples": 500, "labels": ["bad", "good"] },
        { "name": "spam", "source": "demo", "dataset": "spam" }
      ],
      "method": { "prompt_length": 40, "scpp": { "sub_dim": 16, "codebook_size": 12 },
                  "added": { "kind": "scap", "sub_dim": 32, "codebook_size": 4 }, "max_length": 200 },
      "optimization": { "learning_rate": 0.5, "added_learning_rate": 0.001, "warmup_steps": 10, "steps": 300,
                        "batch_size": 8, "grad_clip": 0, "eval_every": 50, "seed": 7, "eval_max_examples": 64 },
      "codebook_groups": { "glue": ["rte", "mrpc"], "other": ["reviews", "spam"] },
      "aggregation": { "mode": "async", "max_staleness": 2 },
      "checkpoint_every": 100,
      "transfer": { "source": "runs/old", "codebooks": true, "freeze_codebooks": true }
    }
    """;

    [Fact]
    public void ReadsEveryKey()
    {
        var spec = RunSpecReader.Parse(Full);
        Assert.Equal("models/t5-base", spec.Backbone);
        Assert.Equal(4, spec.Tasks.Count);
        Assert.Equal(new MethodSpec(40, new ScppSpec(16, 12), new AddedSpec(AddedKind.Scap, 32, 4, 30, 8), 200, false), spec.Method);
        Assert.Equal(new OptimizationSpec(0.5, 0.001, 10, 300, 8, 0, 50, 7, 64), spec.Optimization);
        Assert.Equal(new AggregationSpec(AggregationMode.Async, 2), spec.Aggregation);
        Assert.Equal(100, spec.CheckpointEvery);
        Assert.Equal(new TransferSpec("runs/old", true, null, true), spec.Transfer);
        Assert.Equal(["rte", "mrpc"], spec.CodebookGroups["glue"]);
        Assert.Equal("other", spec.Tasks[3].CodebookGroup);
        var generic = spec.Tasks[2];
        Assert.Equal(("data/reviews.csv", "text", "label", MetricKind.MatthewsCorrelation, 500), (generic.File, generic.InputField, generic.TargetField, generic.Metric, generic.MaxTrainExamples));
        Assert.Equal(["bad", "good"], generic.Labels!);
        Assert.Equal(128, spec.Tasks[1].InputLength(spec.Method));
        Assert.Equal(200, spec.Tasks[0].InputLength(spec.Method));
        Assert.Equal("spam", spec.Tasks[3].Dataset);
    }

    [Fact]
    public void DefaultsAreThePapersT5BaseConfigurationInOneSharedGroup()
    {
        var spec = RunSpecReader.Parse("""{ "tasks": [ { "name": "a", "source": "demo", "dataset": "spam" }, { "name": "b", "source": "demo", "dataset": "spam" } ] }""");
        Assert.Equal(MethodSpec.Default, spec.Method);
        Assert.Equal(74_880, spec.Method.ToLayout(768).Budget().Total);
        Assert.Equal(OptimizationSpec.Default, spec.Optimization);
        Assert.Equal(["a", "b"], spec.CodebookGroups[RunSpec.DefaultGroup]);
        Assert.Single(spec.CodebookGroups);
    }

    [Theory]
    [InlineData("""{ "tasks": [{"name":"a","source":"demo","dataset":"spam"}], "method": { "scpp": { "sub_dim": -3 } } }""", "method.scpp.sub_dim: expected a positive integer, got -3")]
    [InlineData("""{ "tasks": [{"name":"a","source":"demo","dataset":"spam"}], "method": { "scpp": { "subdim": 3 } } }""", "method.scpp.subdim: unknown key")]
    [InlineData("""{ "tasks": [{"name":"a","source":"demo","dataset":"spam"}], "optimisation": {} }""", "optimisation: unknown key")]
    [InlineData("""{ "tasks": [{"name":"a","source":"demo","dataset":"spam"}], "optimization": { "learning_rate": "high" } }""", "optimization.learning_rate: expected a number, got \"high\"")]
    [InlineData("""{ "tasks": [{"name":"a","source":"demo","dataset":"spam"}], "method": { "added": { "kind": "lora" } } }""", "method.added.kind: expected one of none, scap, dept, got \"lora\"")]
    [InlineData("""{ "tasks": [{"name":"a","source":"demo","dataset":"spam"}], "aggregation": { "mode": "sometimes" } }""", "aggregation.mode: expected one of sync, async")]
    [InlineData("""{ "tasks": [] }""", "tasks: expected a non-empty array")]
    [InlineData("""{ "tasks": [{"name":"a","source":"demo","dataset":"spam"},{"name":"a","source":"demo","dataset":"spam"}] }""", "tasks[1].name: task \"a\" appears twice")]
    [InlineData("""{ "tasks": [{"name":"../x","source":"demo"}] }""", "tasks[0].name: \"../x\" must be")]
    [InlineData("""{ "tasks": [{"name":"a","source":"web"}] }""", "tasks[0].source: expected one of paper, generic, demo")]
    [InlineData("""{ "tasks": [{"name":"a","source":"generic","file":"x.jsonl","input_field":"q","target_field":"a"}] }""", "tasks[0].metric: required for a generic task")]
    [InlineData("""{ "tasks": [{"name":"a","source":"generic","file":"x.txt","input_field":"q","target_field":"a","metric":"f1"}] }""", "tasks[0].file: \"x.txt\" is not a .jsonl, .jsonl.gz or .csv file")]
    [InlineData("""{ "tasks": [{"name":"a","source":"generic","file":"x.csv","train_file":"y.csv","input_field":"q","target_field":"a","metric":"f1"}] }""", "tasks[0].file: give either file or train_file")]
    [InlineData("""{ "tasks": [{"name":"a","source":"generic","path":"x.csv","input_field":"q","target_field":"a","metric":"f1"}] }""", "tasks[0].path: generic tasks name their data with file or train_file")]
    [InlineData("""{ "tasks": [{"name":"a","source":"demo","dataset":"spam","file":"x.csv"}] }""", "tasks[0].file: only generic tasks take this key")]
    [InlineData("""{ "tasks": [{"name":"imdb","source":"paper","path":"data"}] }""", "tasks[0].dataset: \"imdb\" is not a paper task (expected one of mnli")]
    [InlineData("""{ "tasks": [{"name":"a","source":"demo","dataset":"spam","labels":[]}] }""", "tasks[0].labels: expected a non-empty array")]
    [InlineData("""{ "tasks": [{"name":"rte","source":"paper"}] }""", "tasks[0].path: required for a paper task")]
    [InlineData("""{ "tasks": [{"name":"x","source":"paper","dataset":"SST-2"}] }""", "tasks[0].path: required for a paper task")]
    [InlineData("""{ "tasks": [{"name":"a","source":"demo","dataset":"spam","max_length":300}] }""", "tasks[0].max_length: 300 exceeds method.max_length 256")]
    [InlineData("""{ "tasks": [{"name":"a","source":"demo","dataset":"spam"}], "codebook_groups": { "g": ["b"] } }""", "codebook_groups.g: unknown task \"b\"")]
    [InlineData("""{ "tasks": [{"name":"a","source":"demo","dataset":"spam"},{"name":"b","source":"demo", "dataset": "spam"}], "codebook_groups": { "g": ["a"] } }""", "codebook_groups: task \"b\" is in no group")]
    [InlineData("""{ "tasks": [{"name":"a","source":"demo","dataset":"spam","codebook_group":"x"}], "codebook_groups": { "g": ["a"] } }""", "tasks[0].codebook_group: \"x\" contradicts codebook_groups.g")]
    [InlineData("""{ "tasks": [{"name":"a","source":"demo","dataset":"spam"}], "checkpoint_every": -1 }""", "checkpoint_every: expected a non-negative integer, got -1")]
    public void BadSpecsNameTheKey(string json, string message)
    {
        var e = Assert.Throws<SpecException>(() => RunSpecReader.Parse(json, "run.json"));
        Assert.StartsWith("run.json: ", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void WriterRoundTripsTheResolvedSpec()
    {
        var spec = RunSpecOverrides.Apply(RunSpecReader.Parse(Full), new Dictionary<string, string> { ["--learning-rate"] = "0.1234567891234" });
        var json = RunSpecWriter.ToJson(spec);
        var again = RunSpecReader.Parse(json, "written.json");
        Assert.Equal(json, RunSpecWriter.ToJson(again));
        Assert.Equal(spec.Method, again.Method);
        Assert.Equal(spec.Optimization, again.Optimization);
        Assert.Equal(0.1234567891234, again.Optimization.LearningRate);
        Assert.Equal(spec.Tasks.Select(t => t with { Labels = null }), again.Tasks.Select(t => t with { Labels = null }));
        Assert.Equal(["bad", "good"], again.Tasks[2].Labels!);
        Assert.Equal(spec.Transfer, again.Transfer);
        Assert.Equal(["reviews", "spam"], again.CodebookGroups["other"]);
    }

    [Fact]
    public void CodebookOptionsFollowTheOptimisation()
    {
        var spec = RunSpecReader.Parse(Full);
        var options = spec.Optimization.CodebookOptions(frozen: true);
        Assert.True(options.Frozen);
        Assert.Equal(0.5, options.PromptSchedule.At(10), 12);
        Assert.Equal(0.001, options.AddedSchedule.At(10), 12);
        Assert.Equal(0.0, options.GradClip);
    }

    [Fact]
    public void MalformedJsonAndMissingFileAreReported()
    {
        Assert.Contains("run.json: invalid JSON at line 2", Assert.Throws<SpecException>(() => RunSpecReader.Parse("{\n \"tasks\": [,\n}", "run.json")).Message);
        Assert.Contains("nope.json: run spec file not found", Assert.Throws<SpecException>(() => RunSpecReader.Read("nope.json")).Message);
    }

    [Fact]
    public void LayoutValidationReportsTheSpecKey()
    {
        var spec = RunSpecReader.Parse("""{ "tasks": [{"name":"a","source":"demo","dataset":"spam"}], "method": { "scpp": { "sub_dim": 48 } } }""");
        Assert.Equal("method.scpp.sub_dim 48 does not divide d_model 512", Assert.Throws<SpecException>(() => spec.Method.ToLayout(512)).Message);
    }
}
