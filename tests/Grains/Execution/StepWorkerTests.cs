using Accept.Grains.Execution;
using Accept.Grains.Hosting;
using Microsoft.Extensions.Options;

namespace Accept.Tests.Grains.Execution;

[Trait("Category", "Fast")]
public sealed class StepWorkerTests
{
    private static StepWorker Create(int concurrentSteps) =>
        new(Options.Create(new AcceptSiloOptions { Slots = concurrentSteps }));

    [Fact]
    public async Task Steps_run_on_the_workers_own_threads()
    {
        using var worker = Create(1);

        var name = await worker.RunAsync(() => Thread.CurrentThread.Name);

        Assert.Equal("accept-step-0", name);
    }

    [Fact]
    public async Task No_more_steps_run_at_once_than_configured_and_all_complete()
    {
        using var worker = Create(2);
        var running = 0;
        var peak = 0;
        using var gate = new ManualResetEventSlim(false);

        var steps = Enumerable.Range(0, 8).Select(i => worker.RunAsync(() =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            gate.Wait(TimeSpan.FromSeconds(5));
            Thread.Sleep(20);
            Interlocked.Decrement(ref running);
            return i;
        })).ToList();
        await WaitUntilAsync(() => worker.Running == 2);
        Assert.Equal(6, worker.Queued);
        gate.Set();

        Assert.Equal(Enumerable.Range(0, 8), await Task.WhenAll(steps));
        Assert.Equal(2, peak);
        Assert.Equal(0, worker.Running);
    }

    [Fact]
    public async Task A_failing_step_faults_its_task_and_the_worker_goes_on()
    {
        using var worker = Create(1);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => worker.RunAsync<int>(() => throw new InvalidOperationException("step failed")));
        var next = await worker.RunAsync(() => 42);

        Assert.Equal("step failed", error.Message);
        Assert.Equal(42, next);
    }

    [Fact]
    public async Task A_step_cancelled_while_queued_never_runs()
    {
        using var worker = Create(1);
        using var gate = new ManualResetEventSlim(false);
        using var cancel = new CancellationTokenSource();
        var ran = false;
        var blocker = worker.RunAsync(() => gate.Wait(TimeSpan.FromSeconds(5)));
        var cancelled = worker.RunAsync(() => ran = true, cancel.Token);

        cancel.Cancel();
        gate.Set();

        await blocker;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.False(ran);
    }

    [Fact]
    public void After_dispose_new_steps_are_refused()
    {
        var worker = Create(1);
        worker.Dispose();

        Assert.Throws<ObjectDisposedException>(() => { _ = worker.RunAsync(() => 1); });
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }
        Assert.True(condition());
    }
}
