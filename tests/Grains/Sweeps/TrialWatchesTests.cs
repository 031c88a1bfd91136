using Accept.Grains.Sweeps;

namespace Accept.Tests.Grains.Sweeps;

[Trait("Category", "Fast")]
public sealed class TrialWatchesTests : IDisposable
{
    private readonly TinyRun _run = new();

    public void Dispose() => _run.Dispose();

    [Fact]
    public void A_trial_keeps_one_watch_per_job_and_a_new_job_replaces_it()
    {
        var watches = new TrialWatches();
        var spec = _run.Spec();

        var first = watches.For(0, "sweep1-t0", spec);
        Assert.Same(first, watches.For(0, "sweep1-t0", spec));
        Assert.Equal(["parity", "topic"], first.Points.Keys.Order());
        Assert.Null(watches.Of(1, "sweep1-t0"));

        var restarted = watches.For(0, "sweep1-t0-r1", spec);

        Assert.NotSame(first, restarted);
        Assert.Null(watches.Of(0, "sweep1-t0"));
        Assert.Same(restarted, watches.Of(0, "sweep1-t0-r1"));
        Assert.True(watches.Remove(0, out var removed));
        Assert.Same(restarted, removed);
        Assert.Null(watches.Of(0, "sweep1-t0-r1"));
    }
}
