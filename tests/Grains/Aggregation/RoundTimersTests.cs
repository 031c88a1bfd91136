using Accept.Grains.Aggregation;

namespace Accept.Tests.Grains.Aggregation;

[Trait("Category", "Fast")]
public sealed class RoundTimersTests
{
    /// <summary>The timers started, by kind and round, and whether each was disposed.</summary>
    private sealed class Started
    {
        public List<(string Kind, long Round, Handle Handle)> All { get; } = [];

        public Func<long, IDisposable> Of(string kind) => round =>
        {
            var handle = new Handle();
            All.Add((kind, round, handle));
            return handle;
        };
    }

    private sealed class Handle : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }

    [Fact]
    public void Starting_a_round_stops_the_last_rounds_timeout_and_deadline()
    {
        var started = new Started();
        var timers = new RoundTimers(started.Of("timeout"), started.Of("deadline"));

        timers.Start(4);
        timers.Start(5);

        Assert.Equal([("timeout", 4L, true), ("deadline", 4L, true), ("timeout", 5L, false), ("deadline", 5L, false)],
            started.All.Select(t => (t.Kind, t.Round, t.Handle.Disposed)));
        timers.Stop();
        Assert.All(started.All, t => Assert.True(t.Handle.Disposed));
    }

    [Fact]
    public void Without_a_deadline_only_the_timeout_runs()
    {
        var started = new Started();
        using var timers = new RoundTimers(started.Of("timeout"), startDeadline: null);

        timers.Start(0);

        Assert.Equal(["timeout"], started.All.Select(t => t.Kind));
    }
}
