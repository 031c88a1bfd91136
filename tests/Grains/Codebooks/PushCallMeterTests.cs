using Accept.GrainInterfaces.Codebooks;
using Accept.Grains.Codebooks;

namespace Accept.Tests.Grains.Codebooks;

[Trait("Category", "Fast")]
public sealed class PushCallMeterTests
{
    [Fact]
    public void Each_offer_is_counted_with_its_time_and_the_status_carries_both()
    {
        var meter = new PushCallMeter();

        Assert.Equal(7, meter.Measure(() => 7));
        Assert.Equal("answer", meter.Measure(() =>
        {
            Thread.SpinWait(10_000);
            return "answer";
        }));
        var status = meter.Stamp(new CodebookStatus("g", 3, "sync", [], 0, 0, 0, false, 0, 0, new Dictionary<string, long>()));

        Assert.Equal(2, meter.Calls);
        Assert.True(meter.BusySeconds > 0);
        Assert.Equal((2L, meter.BusySeconds, 3L), (status.PushCalls, status.BusySeconds, status.Version));
    }

    [Fact]
    public void An_offer_that_throws_is_not_counted()
    {
        var meter = new PushCallMeter();

        Assert.Throws<InvalidOperationException>(() => meter.Measure<int>(() => throw new InvalidOperationException("not initialised")));

        Assert.Equal((0L, 0.0), (meter.Calls, meter.BusySeconds));
    }
}
