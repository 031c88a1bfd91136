using Accept.Training.Sweeps;

namespace Accept.Tests.Sweeps;

/// <summary>ASHA's rung arithmetic against examples worked by hand (docs/sweeps.md shows the η = 3 one).</summary>
[Trait("Category", "Fast")]
public sealed class AshaRungsTests
{
    private static readonly ObjectiveSpec Min = new(ObjectiveKind.Loss, null, ObjectiveMode.Min);
    private static readonly ObjectiveSpec Max = new(ObjectiveKind.Metric, null, ObjectiveMode.Max);

    [Fact]
    public void Rungs_are_grace_times_powers_of_eta_below_max_steps()
    {
        Assert.Equal([1L, 2, 4], AshaRungs.Steps(1, 2, 8));
        Assert.Equal([20L, 60], AshaRungs.Steps(20, 3, 180));
        Assert.Equal([20L, 60, 180], AshaRungs.Steps(20, 3, 181));
        Assert.Equal([10L], AshaRungs.Steps(10, 2, 20));
    }

    /// <summary>Results arrive in this order; each is compared with those before it (n counts its own).</summary>
    [Theory]
    // η = 2: 5 (n=1, keep 1: rank 1 ✓), 3 (n=2, keep 1: rank 1 ✓), 4 (n=3, keep 1: rank 2 ✗), 1 (n=4, keep 2: rank 1 ✓),
    //        6 (n=5, keep 2: rank 5 ✗), 2 (n=6, keep 3: rank 2 ✓)
    [InlineData(2, new[] { 5.0, 3, 4, 1, 6, 2 }, new[] { true, true, false, true, false, true })]
    // η = 3: 5 ✓ (n=1), 3 ✓ (n=2, keep 1, rank 1), 4 ✗ (n=3, keep 1, rank 2), 1 ✓ (n=4, keep 1, rank 1),
    //        2 ✗ (n=5, keep 1, rank 2), 6 ✗ (n=6, keep 2, rank 6)
    [InlineData(3, new[] { 5.0, 3, 4, 1, 2, 6 }, new[] { true, true, false, true, false, false })]
    public void Each_result_continues_only_in_the_top_one_over_eta_of_those_recorded_so_far(int eta, double[] arrivals, bool[] expected)
    {
        var decided = arrivals.Select((v, i) => AshaRungs.Continues(v, arrivals.Take(i).ToList(), eta, Min)).ToArray();
        Assert.Equal(expected, decided);
    }

    [Fact]
    public void A_late_arrival_is_compared_with_every_result_recorded_before_it()
    {
        double[] recorded = [5, 3, 4, 1, 2, 6];
        // n = 7 with η = 3 keeps ⌊7/3⌋ = 2: 1.5 ranks 2nd (continues), 2.5 ranks 3rd (stops).
        Assert.True(AshaRungs.Continues(1.5, recorded, 3, Min));
        Assert.False(AshaRungs.Continues(2.5, recorded, 3, Min));
        // A late arrival better than all continues whatever came before.
        Assert.True(AshaRungs.Continues(0.5, [.. recorded, .. recorded], 2, Min));
    }

    [Fact]
    public void Maximising_ranks_high_values_first_and_an_earlier_equal_result_ranks_higher()
    {
        Assert.True(AshaRungs.Continues(0.9, [0.5, 0.7], 3, Max));
        Assert.False(AshaRungs.Continues(0.6, [0.5, 0.7], 3, Max));
        // Tie with the only kept result: the earlier one keeps its place.
        Assert.False(AshaRungs.Continues(0.7, [0.7, 0.1], 3, Max));
    }
}
