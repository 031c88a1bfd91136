using Accept.GrainInterfaces.Codebooks;
using Accept.Grains.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Accept.Grains.Aggregation;

/// <summary>
/// Hierarchical aggregation: this silo's one aggregator, for every codebook group its tasks push to. Pushes of a
/// group for the same base version arriving within <see cref="AcceptSiloOptions.AggregationWindowMs"/> go to the
/// codebook grain as one summed <see cref="GradientBatch"/>; its one reply (the codebooks once) is handed to every
/// task, all sharing the same immutable snapshot. Windows are independent, so a sync round never waits on an
/// earlier window's reply.
/// <para>
/// A silo service, not a grain: a task's push reaches it as a method call inside the silo process, with no
/// message, activation turn or response per task (a stateless-worker grain cost each task step one local grain call
/// each way); only the batch crosses to the codebook grain. Batches are summed and sent on the thread pool, off every
/// grain's turn. Holds nothing that must survive: when a batch cannot be delivered its tasks push alone, with their
/// own retries, and the group does not count a gradient twice.
/// </para>
/// </summary>
public sealed class SiloAggregator(IGrainFactory grains, IOptions<AcceptSiloOptions> options, ILogger<SiloAggregator> logger)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Group, long BaseVersion), GradientBatcher> _open = [];

    /// <summary>The push's answer as the codebook grain <paramref name="group"/> (its grain key) would give it, or null: push it yourself.</summary>
    public Task<PushResult?> Push(string group, GradientPush push)
    {
        lock (_lock)
        {
            if (!_open.TryGetValue((group, push.BaseVersion), out var batcher))
            {
                batcher = new GradientBatcher(push.BaseVersion);
                _open[(group, push.BaseVersion)] = batcher;
                // On the thread pool: started from a task grain's turn, the window would otherwise run on that grain's scheduler.
                _ = Task.Run(() => SendAfterWindow(group, batcher));
            }
            return batcher.Add(push);
        }
    }

    private async Task SendAfterWindow(string group, GradientBatcher batcher)
    {
        var window = options.Value.AggregationWindowMs;
        if (window > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(window));
        }
        else
        {
            await Task.Yield();
        }
        lock (_lock)
        {
            // Closed: later pushes for this version open the next window.
            _open.Remove((group, batcher.BaseVersion));
        }
        if (batcher.Count == 0)
        {
            return;
        }
        try
        {
            batcher.Answer(await grains.GetGrain<ICodebookGrain>(group).PushBatch(batcher.ToBatch()));
        }
        catch (Exception e)
        {
            // Unreachable group (failover) or a refused call: every task pushes on its own, with its own retries.
            logger.LogWarning("Aggregator {Group}: batch of {Count} not delivered ({Error}); its tasks push alone", group, batcher.Count, e.Message);
            batcher.Fail();
        }
    }
}
