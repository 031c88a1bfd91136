using Accept.Grains.Aggregation;

namespace Accept.Tests.Grains.Aggregation;

[Trait("Category", "Fast")]
public sealed class BatchWindowTests
{
    private static readonly DateTime T0 = new(2026, 11, 30, 12, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(2);

    [Fact]
    public void A_window_stays_open_while_pushes_keep_coming_and_closes_one_idle_period_after_the_last()
    {
        var window = new BatchWindow(Idle, T0, new HashSet<string>());
        for (var i = 0; i < 10; i++)
        {
            var at = T0.AddMilliseconds(1.5 * i);
            window.Pushes($"t{i}", at);
            Assert.True(window.Remaining(at) > TimeSpan.Zero);
        }
        var last = T0.AddMilliseconds(13.5);
        Assert.Equal(Idle, window.Remaining(last));
        Assert.True(window.Remaining(last + Idle) <= TimeSpan.Zero);
        Assert.Equal(10, window.Pushed.Count);
    }

    [Fact]
    public void A_steady_stream_is_cut_after_the_most_windows()
    {
        var window = new BatchWindow(Idle, T0, new HashSet<string>());
        var at = T0;
        var i = 0;
        while (window.Remaining(at) > TimeSpan.Zero)
        {
            window.Pushes($"t{i++}", at);
            at = at.AddMilliseconds(1);
        }
        Assert.Equal(T0 + Idle * BatchWindow.MaxWindows, at);
    }

    [Fact]
    public void A_window_closes_at_once_when_every_task_of_the_previous_batch_is_in()
    {
        var window = new BatchWindow(Idle, T0, new HashSet<string> { "a", "b" });
        window.Pushes("a", T0);
        Assert.False(window.AllIn);
        Assert.True(window.Remaining(T0) > TimeSpan.Zero);
        window.Pushes("c", T0);
        window.Pushes("b", T0);
        Assert.True(window.AllIn);
        Assert.True(window.Remaining(T0) <= TimeSpan.Zero);
    }

    [Fact]
    public void With_nothing_expected_the_idle_period_decides()
    {
        var window = new BatchWindow(Idle, T0, new HashSet<string>());
        window.Pushes("a", T0);
        Assert.False(window.AllIn);
        Assert.Equal(Idle, window.Remaining(T0));
    }
}
