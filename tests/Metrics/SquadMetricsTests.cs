using Accept.Training.Metrics;

namespace Accept.Tests.Metrics;

[Trait("Category", "Fast")]
public sealed class SquadMetricsTests
{
    [Theory]
    [InlineData("The  Quick, brown fox!", "quick brown fox")]
    [InlineData("An apple a day", "apple day")]
    [InlineData("theater\tat THE end.", "theater at end")]
    [InlineData("U.S.-based (50%) ", "usbased 50")]
    public void Normalisation_follows_the_squad_script(string text, string expected)
    {
        Assert.Equal(expected, SquadMetrics.Normalize(text));
    }

    [Fact]
    public void Exact_match_takes_the_best_gold_answer()
    {
        Assert.Equal(1, SquadMetrics.ExactMatch("the Eiffel Tower", ["Paris", "Eiffel Tower."]));
        Assert.Equal(0, SquadMetrics.ExactMatch("Eiffel", ["Eiffel Tower"]));
    }

    [Fact]
    public void Token_f1_of_hand_computed_cases()
    {
        // tokens (big, red, dog) vs (red, dog): P 2/3, R 1 → 0.8
        Assert.Equal(0.8, SquadMetrics.TokenF1("the big red dog", ["cat", "Red dog"]), 12);
        // a repeated token matches only as often as it is in the gold answer: P 1/3, R 1 → 0.5
        Assert.Equal(0.5, SquadMetrics.TokenF1("dog dog dog", ["dog"]), 12);
        Assert.Equal(0, SquadMetrics.TokenF1("the", ["a cat"]));
    }

    [Fact]
    public void An_example_needs_a_gold_answer()
    {
        Assert.Throws<ArgumentException>(() => SquadMetrics.TokenF1("x", []));
    }
}
