using Accept.Grains.Placement;

namespace Accept.Tests.Grains.Placement;

[Trait("Category", "Fast")]
public sealed class SlotLoadTests
{
    private static string Pick(params (string Silo, int Hosted, int Slots)[] silos) =>
        SlotLoad<string>.LeastLoaded(silos.Select(s => new SlotLoad<string>(s.Silo, s.Hosted, s.Slots)).ToList(), StringComparer.Ordinal).Silo;

    [Fact]
    public void The_silo_with_the_fewest_tasks_per_slot_is_chosen()
    {
        Assert.Equal("b", Pick(("a", 2, 1), ("b", 1, 1), ("c", 2, 1)));
        // Two tasks on four slots is less loaded than one task on one slot.
        Assert.Equal("a", Pick(("a", 2, 4), ("b", 1, 1)));
    }

    [Fact]
    public void Ties_go_to_more_slots_then_to_the_first_silo()
    {
        Assert.Equal("b", Pick(("a", 0, 1), ("b", 0, 2)));
        Assert.Equal("a", Pick(("b", 1, 1), ("a", 1, 1)));
    }

    [Theory]
    [InlineData(7, new[] { 1, 1, 1 })]
    [InlineData(12, new[] { 2, 1, 1 })]
    public void Placing_one_at_a_time_fills_silos_in_proportion_to_their_slots(int tasks, int[] slots)
    {
        var hosted = new int[slots.Length];
        for (var i = 0; i < tasks; i++)
        {
            var chosen = SlotLoad<int>.LeastLoaded(slots.Select((s, j) => new SlotLoad<int>(j, hosted[j], s)).ToList(), Comparer<int>.Default);
            hosted[chosen.Silo]++;
        }

        var total = slots.Sum();
        Assert.All(slots.Select((s, j) => (Share: (double)tasks * s / total, Hosted: hosted[j])), x => Assert.InRange(x.Hosted, Math.Floor(x.Share), Math.Ceiling(x.Share)));
    }

    [Fact]
    public void No_candidate_is_an_error()
    {
        Assert.Throws<InvalidOperationException>(() => SlotLoad<string>.LeastLoaded([], StringComparer.Ordinal));
    }
}
