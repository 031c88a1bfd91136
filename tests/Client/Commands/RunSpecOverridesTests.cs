using Accept.Client.Commands;
using Accept.Training.Config;
using Accept.Training.Prompts;

namespace Accept.Tests.Client.Commands;

[Trait("Category", "Fast")]
public class RunSpecOverridesTests
{
    [Fact]
    public void EveryFlagOverridesItsKey()
    {
        var values = new Dictionary<string, string>
        {
            ["--prompt-length"] = "10", ["--scpp-sub-dim"] = "8", ["--scpp-codebook-size"] = "6", ["--added"] = "scap",
            ["--added-sub-dim"] = "16", ["--added-codebook-size"] = "3", ["--added-rank"] = "5", ["--added-alpha"] = "4.5",
            ["--max-length"] = "64", ["--learning-rate"] = "0.4", ["--added-learning-rate"] = "0.002", ["--warmup-steps"] = "0",
            ["--steps"] = "99", ["--batch-size"] = "4", ["--grad-clip"] = "0.5", ["--eval-every"] = "11", ["--seed"] = "-5",
        };
        Assert.Equal(RunSpecOverrides.Flags.Select(f => f.Name).Order(), values.Keys.Order());
        var spec = RunSpecOverrides.Apply(RunSpec.Empty, values);
        Assert.Equal(new MethodSpec(10, new ScppSpec(8, 6), new AddedSpec(AddedKind.Scap, 16, 3, 5, 4.5), 64, false), spec.Method);
        Assert.Equal(new OptimizationSpec(0.4, 0.002, 0, 99, 4, 0.5, 11, -5, null), spec.Optimization);
    }

    [Fact]
    public void PaperFlagsGiveTable1Count()
    {
        var spec = RunSpecOverrides.Apply(RunSpec.Empty, new Dictionary<string, string>
        {
            ["--prompt-length"] = "60", ["--scpp-sub-dim"] = "32", ["--scpp-codebook-size"] = "20", ["--added"] = "dept",
            ["--added-rank"] = "30", ["--max-length"] = "256",
        });
        Assert.Equal(74_880, spec.Method.ToLayout(768).Budget().Total);
    }

    [Theory]
    [InlineData("--scpp-sub-dim", "-3", "--scpp-sub-dim (method.scpp.sub_dim): expected a positive integer, got \"-3\"")]
    [InlineData("--learning-rate", "fast", "--learning-rate (optimization.learning_rate): expected a positive number, got \"fast\"")]
    [InlineData("--added", "lora", "--added: expected one of none, scap, dept, got \"lora\"")]
    [InlineData("--seed", "1.5", "--seed: expected an integer, got \"1.5\"")]
    [InlineData("--prompt-lenght", "5", "--prompt-lenght: not an override flag")]
    public void BadValuesNameTheFlag(string flag, string value, string message)
    {
        var e = Assert.Throws<SpecException>(() => RunSpecOverrides.Apply(RunSpec.Empty, new Dictionary<string, string> { [flag] = value }));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void MaxLengthOverrideCapsTaskTruncation()
    {
        var spec = RunSpecReader.Parse("""{ "tasks": [ {"name":"a","source":"demo","dataset":"spam"}, {"name":"b","source":"demo", "dataset": "spam","max_length":200} ] }""");
        var shorter = RunSpecOverrides.Apply(spec, new Dictionary<string, string> { ["--max-length"] = "100" });
        Assert.Equal([100, 100], shorter.Tasks.Select(t => t.InputLength(shorter.Method)));
        var longer = RunSpecOverrides.Apply(spec, new Dictionary<string, string> { ["--max-length"] = "512" });
        Assert.Equal([512, 200], longer.Tasks.Select(t => t.InputLength(longer.Method)));
    }
}
