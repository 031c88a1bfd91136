using Accept.Grains.Hosting;

namespace Accept.Tests.Grains.Hosting;

/// <summary>The silo's aggregation settings: hierarchical by default, and out-of-range values named.</summary>
[Trait("Category", "Fast")]
public sealed class AggregationSettingsTests
{
    [Fact]
    public void Hierarchical_aggregation_is_the_default_and_the_round_deadline_is_off()
    {
        var options = new AcceptSiloOptions();
        SettingsOptions.ThrowIfInvalid(AcceptSiloOptionsValidator.Instance, options);
        Assert.True(options.Hierarchical);
        Assert.Equal(0, options.RoundDeadlineMs);
        Assert.False(new AcceptSiloOptions { Aggregation = "flat" }.Hierarchical);
    }

    [Theory]
    [InlineData("tree", 2, 0, "Accept:Silo:Aggregation is 'tree'")]
    [InlineData("flat", -1, 0, "Accept:Silo:AggregationWindowMs is -1")]
    [InlineData("hierarchical", 2, -5, "Accept:Silo:RoundDeadlineMs is -5")]
    public void A_bad_aggregation_setting_is_named(string aggregation, double windowMs, double deadlineMs, string expected)
    {
        var options = new AcceptSiloOptions { Aggregation = aggregation, AggregationWindowMs = windowMs, RoundDeadlineMs = deadlineMs };
        var error = Assert.Throws<ArgumentException>(() => SettingsOptions.ThrowIfInvalid(AcceptSiloOptionsValidator.Instance, options));
        Assert.StartsWith(expected, error.Message);
    }
}
