using Accept.Training.Prompts;
using static TorchSharp.torch;

namespace Accept.Tests.Prompts;

[Trait("Category", "Fast")]
public class TaskAdapterTests
{
    private static readonly PromptLayout Layout = new PromptLayout { DModel = 16, PromptLength = 3, MaxLength = 5, ScppSubDim = 4, ScppCodebookSize = 2, Added = AddedKind.Dept, AddedRank = 2, AddedAlpha = 8 }.Validated();

    [Fact]
    public void ApplyUsesThePromptRateForWAndTheAddedRateForDept()
    {
        using var scope = NewDisposeScope();
        using var adapter = new TaskAdapter("t", Layout, 1, gradClip: 0);
        var before = adapter.StateDict();
        var grads = adapter.Weights.ToDictionary(w => w.Key, w => ones_like(w.Value));
        Assert.True(adapter.Apply(grads, promptLr: 0.5, addedLr: 0.001));
        var dw = before[PromptTensorNames.ScppWeights] - adapter.Weights[PromptTensorNames.ScppWeights];
        var da = before[PromptTensorNames.DeptA] - adapter.Weights[PromptTensorNames.DeptA];
        Assert.True(dw.allclose(full_like(dw, 0.5), 1e-4, 1e-5));
        Assert.True(da.allclose(full_like(da, 0.001), 1e-3, 1e-7));
        Assert.Equal(1, adapter.Steps);
    }

    [Fact]
    public void StateDictRoundTripAndPartialTransfer()
    {
        using var scope = NewDisposeScope();
        using var a = new TaskAdapter("a", Layout, 1);
        a.Apply(a.Weights.ToDictionary(w => w.Key, w => ones_like(w.Value)), 0.1, 0.1);
        using var b = new TaskAdapter("b", Layout, 2);
        b.LoadStateDict(a.StateDict());
        Assert.Equal(1, b.Steps);
        foreach (var name in a.Weights.Keys) Assert.True(a.Weights[name].equal(b.Weights[name]).all().item<bool>(), name);

        using var c = new TaskAdapter("c", Layout, 3);
        var deptBefore = c.Weights[PromptTensorNames.DeptA].clone();
        c.InitialiseFrom(new Dictionary<string, Tensor> { [PromptTensorNames.ScppWeights] = a.Weights[PromptTensorNames.ScppWeights] });
        Assert.True(c.Weights[PromptTensorNames.ScppWeights].equal(a.Weights[PromptTensorNames.ScppWeights]).all().item<bool>());
        Assert.True(c.Weights[PromptTensorNames.DeptA].equal(deptBefore).all().item<bool>());
    }

    [Fact]
    public void OnAnExplicitDeviceUpdatesReachThePrompts()
    {
        using var scope = NewDisposeScope();
        using var group = new CodebookGroup("g", Layout, Accept.Tests.Prompts.SubspaceCompositionTests.Options(), 1, device: CPU);
        using var adapter = new TaskAdapter("t", Layout, 1, device: CPU);
        using var reference = new TaskAdapter("t", Layout, 1);
        Assert.True(adapter.BuildPrepended(group.Codebooks).equal(reference.BuildPrepended(group.Codebooks)).all().item<bool>());
        var before = adapter.BuildPrepended(group.Codebooks).detach().clone();
        adapter.Apply(adapter.Weights.ToDictionary(w => w.Key, w => ones_like(w.Value)), 0.1, 0.1);
        Assert.False(adapter.BuildPrepended(group.Codebooks).equal(before).all().item<bool>());
        Assert.Equal(CPU.type, adapter.Weights[PromptTensorNames.ScppWeights].device_type);
    }

    [Fact]
    public void MissingCodebookIsNamed()
    {
        using var scope = NewDisposeScope();
        using var adapter = new TaskAdapter("t", Layout, 1);
        var e = Assert.Throws<ArgumentException>(() => adapter.BuildPrepended(new Dictionary<string, Tensor>()));
        Assert.Contains("'scpp.codebook' missing", e.Message);
    }
}
