using Accept.Training.Metrics;

namespace Accept.Tests.Metrics;

[Trait("Category", "Fast")]
public sealed class CorrelationMetricsTests
{
    private static readonly double[] X = [1, 2, 3, 4, 5];
    private static readonly double[] Y = [2, 4, 5, 4, 5];

    [Fact]
    public void Pearson_of_a_hand_computed_case()
    {
        // dx = (−2,−1,0,1,2), dy = (−2,0,1,0,1): Σdxdy 6, Σdx² 10, Σdy² 6
        Assert.Equal(6 / Math.Sqrt(60), CorrelationMetrics.Pearson(X, Y), 12);
    }

    [Fact]
    public void Spearman_gives_ties_their_average_rank()
    {
        Assert.Equal([1, 2.5, 4.5, 2.5, 4.5], CorrelationMetrics.AverageRanks(Y));
        // ranks of Y − 3 = (−2,−0.5,1.5,−0.5,1.5): Σdxdy 7, Σdx² 10, Σdy² 9
        Assert.Equal(7 / Math.Sqrt(90), CorrelationMetrics.Spearman(X, Y), 12);
    }

    [Fact]
    public void Spearman_is_one_for_any_increasing_relation()
    {
        Assert.Equal(1, CorrelationMetrics.Spearman(X, X.Select(v => Math.Exp(v)).ToArray()), 12);
        Assert.True(CorrelationMetrics.Pearson(X, X.Select(v => Math.Exp(v)).ToArray()) < 1 - 1e-3);
    }

    [Fact]
    public void Constant_input_gives_zero_rather_than_nan()
    {
        Assert.Equal(0, CorrelationMetrics.Pearson([3, 3, 3], [1, 2, 3]));
        Assert.Equal(0, CorrelationMetrics.Spearman([1, 2, 3], [7, 7, 7]));
    }
}
