using Accept.Training.Prompts;
using static TorchSharp.torch;

namespace Accept.Tests.Prompts;

[Trait("Category", "Fast")]
public class ParameterBudgetTests
{
    [Fact]
    public void T5BaseConfigurationOfThePaperHas74880()
    {
        var budget = PromptLayout.Create(768, 60, 256, false, 32, 20, AddedKind.Dept, 0, 0, 30, 8).Budget();
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
        var layout = PromptLayout.Create(48, 7, 11, freePrompt, 8, 5, added, 16, 3, 4, 8);
        using var group = new CodebookGroup("g", layout, SubspaceCompositionTests.Options(), 1);
        using var adapter = new TaskAdapter("t", layout, 1);
        long actual = adapter.Weights.Values.Sum(t => t.numel()) + group.Codebooks.Values.Sum(t => t.numel());
        Assert.Equal(layout.Budget().Total, actual);
    }

    [Fact]
    public void OverBudgetIsWarnedNotRefused()
    {
        var budget = PromptLayout.Create(64, 100, 512, true, 0, 0, AddedKind.Dept, 0, 0, 64, 8).Budget();
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
        var e = Assert.Throws<ArgumentException>(() => PromptLayout.Create(d, 60, 256, false, subDim, codebookSize, AddedKind.None, 0, 0, 0, 0));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void ScapSubDimMustDivideD()
    {
        var e = Assert.Throws<ArgumentException>(() => PromptLayout.Create(768, 60, 256, false, 32, 20, AddedKind.Scap, 100, 4, 0, 0));
        Assert.Equal("method.added.sub_dim 100 does not divide d_model 768", e.Message);
    }
}
