using Accept.Grains.Hosting;

namespace Accept.Tests.Grains.Hosting;

/// <summary>The silo's aggregation settings: flat by default, and out-of-range values named.</summary>
[Trait("Category", "Fast")]
public sealed class AggregationSettingsTests
{
    [Fact]
    public void Flat_aggregation_is_the_default_and_the_round_deadline_is_off()
    {
        var options = new AcceptSiloOptions();
        options.Validate();
        Assert.False(options.Hierarchical);
        Assert.Equal(0, options.RoundDeadlineMs);
        Assert.True(new AcceptSiloOptions { Aggregation = "hierarchical" }.Hierarchical);
    }

    [Theory]
    [InlineData("tree", 2, 0, "Accept:Silo:Aggregation is 'tree'")]
    [InlineData("flat", -1, 0, "Accept:Silo:AggregationWindowMs is -1")]
    [InlineData("hierarchical", 2, -5, "Accept:Silo:RoundDeadlineMs is -5")]
    public void A_bad_aggregation_setting_is_named(string aggregation, double windowMs, double deadlineMs, string expected)
    {
        var options = new AcceptSiloOptions { Aggregation = aggregation, AggregationWindowMs = windowMs, RoundDeadlineMs = deadlineMs };
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.StartsWith(expected, error.Message);
    }
}
