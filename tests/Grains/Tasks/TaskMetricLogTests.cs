using Accept.GrainInterfaces.Tasks;
using Accept.Grains.Tasks;

namespace Accept.Tests.Grains.Tasks;

[Trait("Category", "Fast")]
public sealed class TaskMetricLogTests
{
    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualClock : TimeProvider
    {
        public long Ticks { get; set; }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Ticks;

        public void Advance(TimeSpan by) => Ticks += by.Ticks;
    }

    [Fact]
    public void The_rate_counts_steps_over_a_window_of_about_ten_seconds()
    {
        var clock = new ManualClock();
        var log = new TaskMetricLog(clock);
        log.StartWindow(0);

        clock.Advance(TimeSpan.FromSeconds(2));
        log.Stepped(4, 1.0, 0.3, 0);
        Assert.Equal(2.0, log.StepsPerSecond, 6);

        clock.Advance(TimeSpan.FromSeconds(10));
        log.Stepped(16, 1.0, 0.3, 0);
        Assert.Equal(16 / 12.0, log.StepsPerSecond, 6);

        // A new window began at step 16: the old pace no longer counts.
        clock.Advance(TimeSpan.FromSeconds(1));
        log.Stepped(26, 1.0, 0.3, 0);
        Assert.Equal(10.0, log.StepsPerSecond, 6);
    }

    [Fact]
    public void Evaluations_land_on_their_step_and_history_is_capped_and_restorable()
    {
        var log = new TaskMetricLog(new ManualClock());
        log.Stepped(1, 2.0, 0.3, 0);
        log.Evaluated(1, 0.75);
        log.Evaluated(9, 0.5);
        Assert.Equal(new TaskMetricPoint(1, 2.0, 0.3, 0.75, 0), log.Points.Single());

        log.Restore(Enumerable.Range(1, TaskMetricLog.MaxPoints + 5).Select(i => new TaskMetricPoint(i, 1, 0.1, null, 0)), step: 10_005);

        Assert.Equal(TaskMetricLog.MaxPoints, log.Points.Count);
        Assert.Equal(6, log.Points[0].Step);
        Assert.Equal([10_004L, 10_005L], log.After(10_003).Select(p => p.Step));
    }
}
