using Accept.Training.Prompts;
using TorchSharp;
using static TorchSharp.torch;

namespace Accept.Tests.Prompts;

[Trait("Category", "Fast")]
public class CodebookGroupTests
{
    private static readonly PromptLayout Layout = new PromptLayout { DModel = 16, PromptLength = 3, MaxLength = 5, ScppSubDim = 4, ScppCodebookSize = 2, Added = AddedKind.Scap, AddedSubDim = 8, AddedCodebookSize = 2 }.Validated();

    private static Dictionary<string, Tensor> Gradients(CodebookGroup group, float value) =>
        group.Codebooks.ToDictionary(c => c.Key, c => full_like(c.Value, value));

    [Fact]
    public void ApplyStepsEachCodebookAtItsOwnRateAndBumpsTheVersion()
    {
        using var scope = NewDisposeScope();
        using var group = new CodebookGroup("g", Layout, SubspaceCompositionTests.Options() with { GradClip = 0 }, 1);
        var before = group.Snapshot();
        var update = group.Apply(Gradients(group, 0.5f));
        Assert.True(update.Applied);
        Assert.Equal(1, update.Version);
        Assert.Equal(1, group.Version);
        // First AdamW step moves every element by lr·g/(|g|+eps) ≈ lr: 0.3 for SCPP, 0.01 for SCAP.
        var scpp = (before[PromptTensorNames.ScppCodebook] - group.Codebooks[PromptTensorNames.ScppCodebook]);
        var scap = (before[PromptTensorNames.ScapCodebook] - group.Codebooks[PromptTensorNames.ScapCodebook]);
        Assert.True(scpp.allclose(full_like(scpp, 0.3), 1e-4, 1e-5));
        Assert.True(scap.allclose(full_like(scap, 0.01), 1e-4, 1e-6));
    }

    [Fact]
    public void SnapshotIsACopy()
    {
        using var scope = NewDisposeScope();
        using var group = new CodebookGroup("g", Layout, SubspaceCompositionTests.Options(), 1);
        var snapshot = group.Snapshot();
        snapshot[PromptTensorNames.ScppCodebook].add_(1);
        Assert.False(snapshot[PromptTensorNames.ScppCodebook].equal(group.Codebooks[PromptTensorNames.ScppCodebook]).all().item<bool>());
    }

    [Fact]
    public void NonFiniteGradientIsSkippedWithoutAVersion()
    {
        using var scope = NewDisposeScope();
        using var group = new CodebookGroup("g", Layout, SubspaceCompositionTests.Options(), 1);
        var before = group.Snapshot();
        var grads = Gradients(group, 0.1f);
        grads[PromptTensorNames.ScapCodebook][0, 0, 0] = float.NaN;
        var update = group.Apply(grads);
        Assert.False(update.Applied);
        Assert.Equal(0, group.Version);
        Assert.Equal(1, group.SkippedSteps);
        Assert.True(before[PromptTensorNames.ScppCodebook].equal(group.Codebooks[PromptTensorNames.ScppCodebook]).all().item<bool>());
    }

    [Fact]
    public void FrozenGroupRefusesUpdates()
    {
        using var scope = NewDisposeScope();
        using var group = new CodebookGroup("frozen", Layout, SubspaceCompositionTests.Options(frozen: true), 1);
        var e = Assert.Throws<InvalidOperationException>(() => group.Apply(Gradients(group, 1)));
        Assert.Contains("'frozen'", e.Message);
    }

    [Fact]
    public void MissingGradientIsNamed()
    {
        using var scope = NewDisposeScope();
        using var group = new CodebookGroup("g", Layout, SubspaceCompositionTests.Options(), 1);
        var grads = Gradients(group, 1);
        grads.Remove(PromptTensorNames.ScapCodebook);
        Assert.Contains("scap.codebook", Assert.Throws<ArgumentException>(() => group.Apply(grads)).Message);
    }

    [Fact]
    public void MeanIsExactWhateverTheOrder()
    {
        using var scope = NewDisposeScope();
        var a = new Dictionary<string, Tensor> { ["c"] = tensor(new float[] { 1, 2, 1e8f }) };
        var b = new Dictionary<string, Tensor> { ["c"] = tensor(new float[] { 3, 6, 1 }) };
        var c = new Dictionary<string, Tensor> { ["c"] = tensor(new float[] { 2, 4, -1e8f }) };
        // In float32, (1e8 + 1) - 1e8 is 0; the exact sum is 1, so the mean is 1/3 in every order.
        Assert.Equal(new float[] { 2, 4, 1f / 3 }, CodebookGroup.Mean([a, b, c])["c"].data<float>().ToArray());
        Assert.Equal(new float[] { 2, 4, 1f / 3 }, CodebookGroup.Mean([c, a, b])["c"].data<float>().ToArray());
    }

    [Fact]
    public void StateDictRestoresCodebooksMomentsAndVersion()
    {
        using var scope = NewDisposeScope();
        using var a = new CodebookGroup("g", Layout, SubspaceCompositionTests.Options(), 1);
        a.Apply(Gradients(a, 0.2f));
        using var b = new CodebookGroup("g", Layout, SubspaceCompositionTests.Options(), 99);
        b.LoadStateDict(a.StateDict());
        Assert.Equal(1, b.Version);
        a.Apply(Gradients(a, -0.3f));
        b.Apply(Gradients(b, -0.3f));
        foreach (var name in a.Codebooks.Keys)
            Assert.True(a.Codebooks[name].equal(b.Codebooks[name]).all().item<bool>(), name);
        Assert.Equal(2, b.Version);
    }

    [Fact]
    public void TransferCopiesCodebooksAndChecksShapes()
    {
        using var scope = NewDisposeScope();
        using var source = new CodebookGroup("src", Layout, SubspaceCompositionTests.Options(), 1);
        using var target = new CodebookGroup("dst", Layout, SubspaceCompositionTests.Options(), 2);
        target.InitialiseFrom(source.Snapshot());
        Assert.True(source.Codebooks[PromptTensorNames.ScppCodebook].equal(target.Codebooks[PromptTensorNames.ScppCodebook]).all().item<bool>());
        var wrong = source.Snapshot();
        wrong[PromptTensorNames.ScppCodebook] = zeros(4, 3, 4);
        var e = Assert.Throws<ArgumentException>(() => target.InitialiseFrom(wrong));
        Assert.Contains("'scpp.codebook' has shape [4,3,4], expected [4,2,4]", e.Message);
    }
}
