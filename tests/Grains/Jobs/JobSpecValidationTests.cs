using System.Text.Json.Nodes;
using Accept.Grains.Jobs;

namespace Accept.Tests.Grains.Jobs;

[Trait("Category", "Fast")]
public sealed class JobSpecValidationTests : IDisposable
{
    private readonly TinyRun _run = new();

    public void Dispose() => _run.Dispose();

    [Fact]
    public void A_trainable_spec_comes_back_read()
    {
        var spec = JobSpecValidation.Validate(_run.Spec());

        Assert.Equal(["parity", "topic"], spec.Tasks.Select(t => t.Name));
    }

    [Fact]
    public void Every_refusal_is_a_plain_argument_error_naming_the_key_at_fault()
    {
        var noTasks = JsonNode.Parse(_run.Spec())!;
        noTasks["tasks"] = new JsonArray();
        var noBackbone = JsonNode.Parse(_run.Spec())!;
        noBackbone.AsObject().Remove("backbone");

        Assert.Contains("sub_dim 7 does not divide d_model 64", Refusal(_run.Spec(scppSubDim: 7)));
        Assert.StartsWith("run spec: tasks:", Refusal(noTasks.ToJsonString()));
        Assert.Contains("backbone: a backbone directory is required", Refusal(noBackbone.ToJsonString()));
    }

    private static string Refusal(string json) => Assert.IsType<ArgumentException>(Record.Exception(() => JobSpecValidation.Validate(json))).Message;
}
