using Accept.Training.Prompts;
using static TorchSharp.torch;

namespace Accept.Tests.Prompts;

[Trait("Category", "Fast")]
public class ParameterBudgetTests
{
    [Fact]
    public void T5BaseConfigurationOfThePaperHas74880()
    {
        var budget = new PromptLayout { DModel = 768, PromptLength = 60, MaxLength = 256, ScppSubDim = 32, ScppCodebookSize = 20, Added = AddedKind.Dept, AddedRank = 30, AddedAlpha = 8 }.Validated().Budget();
        Assert.Equal(28_800, budget.Parts.Single(p => p.Name == "SCPP weights").Count);
        Assert.Equal(15_360, budget.Parts.Single(p => p.Name == "SCPP codebook").Count);
        Assert.Equal(30_720, budget.AddedTotal);
        Assert.Equal(74_880, budget.Total);
        Assert.Empty(budget.Warnings());
    }

    [Theory]
    [InlineData(AddedKind.Scap, false)]
    [InlineData(AddedKind.Dept, false)]
    [InlineData(AddedKind.None, false)]
    [InlineData(AddedKind.Dept, true)]
    public void CountsEqualTheModulesActualParameters(AddedKind added, bool freePrompt)
    {
        using var scope = NewDisposeScope();
        var layout = new PromptLayout { DModel = 48, PromptLength = 7, MaxLength = 11, FreePrompt = freePrompt, ScppSubDim = 8, ScppCodebookSize = 5, Added = added, AddedSubDim = 16, AddedCodebookSize = 3, AddedRank = 4, AddedAlpha = 8 }.Validated();
        using var group = new CodebookGroup("g", layout, SubspaceCompositionTests.Options(), 1);
        using var adapter = new TaskAdapter("t", layout, 1);
        long actual = adapter.Weights.Values.Sum(t => t.numel()) + group.Codebooks.Values.Sum(t => t.numel());
        Assert.Equal(layout.Budget().Total, actual);
    }

    [Fact]
    public void OverBudgetIsWarnedNotRefused()
    {
        var budget = new PromptLayout { DModel = 64, PromptLength = 100, MaxLength = 512, FreePrompt = true, Added = AddedKind.Dept, AddedRank = 64, AddedAlpha = 8 }.Validated().Budget();
        var warnings = budget.Warnings().ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains("60·d = 3,840", warnings[0]);
        Assert.Contains("40·d = 2,560", warnings[1]);
    }

    [Theory]
    [InlineData(512, 48, 20, "method.scpp.sub_dim 48 does not divide d_model 512")]
    [InlineData(512, 32, 0, "method.scpp.codebook_size: expected a positive integer, got 0")]
    [InlineData(512, -3, 20, "method.scpp.sub_dim: expected a positive integer, got -3")]
    public void InvalidShapesNameTheKey(int d, int subDim, int codebookSize, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => new PromptLayout { DModel = d, PromptLength = 60, MaxLength = 256, ScppSubDim = subDim, ScppCodebookSize = codebookSize }.Validated());
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void ScapSubDimMustDivideD()
    {
        var e = Assert.Throws<ArgumentException>(() => new PromptLayout { DModel = 768, PromptLength = 60, MaxLength = 256, ScppSubDim = 32, ScppCodebookSize = 20, Added = AddedKind.Scap, AddedSubDim = 100, AddedCodebookSize = 4 }.Validated());
        Assert.Equal("method.added.sub_dim 100 does not divide d_model 768", e.Message);
    }
}
