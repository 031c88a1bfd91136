using Accept.GrainInterfaces.Codebooks;
using Accept.Grains.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace Accept.Grains.Aggregation;

/// <summary>
/// Hierarchical aggregation, one per silo and codebook group: a stateless worker with one activation is
/// placed on the calling task's silo. Pushes for the same base version arriving within
/// <see cref="AcceptSiloOptions.AggregationWindowMs"/> go to the codebook grain as one summed
/// <see cref="GradientBatch"/>; its one reply (the codebooks once) is handed to every task, all sharing the
/// same immutable snapshot. Windows are independent, so a sync round never waits on an earlier window's reply.
/// Holds nothing that must survive: a lost aggregator's tasks push again (and are not counted twice).
/// </summary>
[StatelessWorker(1)]
[Reentrant]
public sealed class SiloAggregatorGrain(IOptions<AcceptSiloOptions> options, ILogger<SiloAggregatorGrain> logger) : Grain, ISiloAggregatorGrain
{
    private readonly Dictionary<long, GradientBatcher> _open = [];

    private ICodebookGrain Codebook => GrainFactory.GetGrain<ICodebookGrain>(this.GetPrimaryKeyString());

    public Task<PushResult?> Push(GradientPush push)
    {
        if (!_open.TryGetValue(push.BaseVersion, out var batcher))
        {
            batcher = new GradientBatcher(push.BaseVersion);
            _open[push.BaseVersion] = batcher;
            _ = SendAfterWindow(batcher);
        }
        return batcher.Add(push);
    }

    private async Task SendAfterWindow(GradientBatcher batcher)
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
        _open.Remove(batcher.BaseVersion);
        if (batcher.Count == 0)
        {
            return;
        }
        try
        {
            batcher.Answer(await Codebook.PushBatch(batcher.ToBatch()));
        }
        catch (Exception e)
        {
            // Unreachable group (failover) or a refused call: every task pushes on its own, with its own retries.
            logger.LogWarning("Aggregator {Group}: batch of {Count} not delivered ({Error}); its tasks push alone", this.GetPrimaryKeyString(), batcher.Count, e.Message);
            batcher.Fail();
        }
    }
}
