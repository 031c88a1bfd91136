using Accept.Training.Prompts;
using TorchSharp;
using static TorchSharp.torch;

namespace Accept.Tests.Prompts;

[Trait("Category", "Fast")]
public class InitialisationTests
{
    private static readonly PromptLayout Scap = new PromptLayout { DModel = 64, PromptLength = 10, MaxLength = 16, ScppSubDim = 16, ScppCodebookSize = 8, Added = AddedKind.Scap, AddedSubDim = 32, AddedCodebookSize = 4 }.Validated();

    [Fact]
    public void KaimingBoundsFollowThePapersCode()
    {
        using var scope = NewDisposeScope();
        using var group = new CodebookGroup("g", Scap, SubspaceCompositionTests.Options(), 3);
        using var adapter = new TaskAdapter("t", Scap, 3);
        // a = √5 → bound 1/√fan_in; a = 0 → √(6/fan_in); fan_in = size(1)·Π size(2..).
        AssertUniform(adapter.Weights[PromptTensorNames.ScppWeights], 1 / Math.Sqrt(4 * 8));
        AssertUniform(group.Codebooks[PromptTensorNames.ScppCodebook], 1 / Math.Sqrt(8 * 16));
        AssertUniform(adapter.Weights[PromptTensorNames.ScapWeights], 1 / Math.Sqrt(2 * 4));
        AssertUniform(group.Codebooks[PromptTensorNames.ScapCodebook], Math.Sqrt(6.0 / (4 * 32)));
    }

    [Fact]
    public void DeptStartsWithZeroDeltaAndScapWithNonZero()
    {
        using var scope = NewDisposeScope();
        var dept = Scap with { Added = AddedKind.Dept, AddedRank = 5, AddedAlpha = 8 };
        using var deptAdapter = new TaskAdapter("t", dept, 1);
        Assert.Equal(0f, deptAdapter.BuildAdded(new Dictionary<string, Tensor>())!.abs().sum().item<float>());
        AssertUniform(deptAdapter.Weights[PromptTensorNames.DeptA], 1 / Math.Sqrt(5));

        using var group = new CodebookGroup("g", Scap, SubspaceCompositionTests.Options(), 1);
        using var scapAdapter = new TaskAdapter("t", Scap, 1);
        var delta = scapAdapter.BuildAdded(group.Codebooks)!;
        Assert.Equal(new long[] { 16, 64 }, delta.shape);
        Assert.True(delta.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void DeptDeltaIsScaledLowRankProduct()
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(2);
        using var lowRank = new LowRankAddedPrompt(4, 2, 3, alpha: 8, gen);
        using (no_grad()) lowRank.B.copy_(tensor(new float[] { 1, 0, 2, 0, 1, -1 }, [2, 3]));
        var expected = lowRank.A.matmul(lowRank.B) * (8 / Math.Sqrt(2));
        Assert.True(lowRank.Compute().allclose(expected));
    }

    [Fact]
    public void SameSeedSameTensorsAndTasksDiffer()
    {
        using var scope = NewDisposeScope();
        using var a = new TaskAdapter("rte", Scap, 42);
        using var b = new TaskAdapter("rte", Scap, 42);
        using var c = new TaskAdapter("mrpc", Scap, 42);
        var w = PromptTensorNames.ScppWeights;
        Assert.True(a.Weights[w].equal(b.Weights[w]).all().item<bool>());
        Assert.False(a.Weights[w].equal(c.Weights[w]).all().item<bool>());
    }

    private static void AssertUniform(Tensor t, double bound)
    {
        double max = t.abs().max().ToDouble();
        Assert.True(max <= bound * (1 + 1e-6), $"max {max} over bound {bound}");
        Assert.True(max > bound * 0.8, $"max {max} far under bound {bound}");
    }
}
