using Accept.GrainInterfaces.Codebooks;
using Accept.Grains.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Accept.Grains.Aggregation;

/// <summary>
/// Hierarchical aggregation: this silo's one aggregator, for every codebook group its tasks push to. Pushes of a
/// group for the same base version go to the codebook grain as one summed <see cref="GradientBatch"/> when their
/// <see cref="BatchWindow"/> closes (<see cref="AcceptSiloOptions.AggregationWindowMs"/> after the last push, or at
/// once when every task of the previous batch is in); its one reply (the codebooks once) is handed to every task,
/// all sharing the same immutable snapshot.
/// <para>
/// An async group (its answers say <see cref="BatchPushResult.MixedVersions"/>) gets one window at a time whatever
/// the pushes' base versions, and it is sent only when the silo's previous batch of that group has been answered:
/// the tasks that answer frees join the next batch, so batches grow to what arrives during one round trip instead of
/// splitting into one small update per version. A sync group's windows are per base version (a round's sum) and
/// never wait on each other: a round's answer waits for every member, a straggler's batch included.
/// </para>
/// <para>
/// A silo service, not a grain: a task's push reaches it as a method call inside the silo process, with no
/// message, activation turn or response per task (a stateless-worker grain cost each task step one local grain call
/// each way); only the batch crosses to the codebook grain. Batches are summed and sent on the thread pool, off every
/// grain's turn. Holds nothing that must survive: when a batch cannot be delivered its tasks push alone, with their
/// own retries, and the group does not count a gradient twice.
/// </para>
/// </summary>
public sealed class SiloAggregator
{
    /// <summary>The window key of an async group's batches, which take any base version.</summary>
    private const long AnyVersion = long.MinValue;

    private readonly Func<string, GradientBatch, Task<BatchPushResult>> _pushBatch;
    private readonly IOptions<AcceptSiloOptions> _options;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, GroupBatches> _groups = new(StringComparer.Ordinal);

    /// <summary>A group no task of this silo pushed to for this long is forgotten (learnt again from its next answer).</summary>
    private static readonly TimeSpan ForgetAfter = TimeSpan.FromMinutes(5);

    public SiloAggregator(IGrainFactory grains, IOptions<AcceptSiloOptions> options, ILogger<SiloAggregator> logger)
        : this((group, batch) => grains.GetGrain<ICodebookGrain>(group).PushBatch(batch), options, logger)
    {
    }

    /// <param name="pushBatch">Offers a batch to the codebook grain of a group (its grain key).</param>
    internal SiloAggregator(Func<string, GradientBatch, Task<BatchPushResult>> pushBatch, IOptions<AcceptSiloOptions> options, ILogger logger)
    {
        _pushBatch = pushBatch;
        _options = options;
        _logger = logger;
    }

    private TimeSpan Idle => TimeSpan.FromMilliseconds(_options.Value.AggregationWindowMs);

    /// <summary>The push's answer as the codebook grain <paramref name="group"/> (its grain key) would give it, or null: push it yourself.</summary>
    public Task<PushResult?> Push(string group, GradientPush push)
    {
        lock (_lock)
        {
            var now = DateTime.UtcNow;
            if (!_groups.TryGetValue(group, out var batches))
            {
                ForgetIdleGroups(now);
                batches = new GroupBatches();
                _groups[group] = batches;
            }
            batches.LastPush = now;
            var key = batches.MixedVersions ? AnyVersion : push.BaseVersion;
            if (!batches.Open.TryGetValue(key, out var open))
            {
                open = new OpenBatch(key, new GradientBatcher(push.BaseVersion, batches.MixedVersions), new BatchWindow(Idle, now, batches.LastMembers));
                batches.Open[key] = open;
                // On the thread pool: started from a task grain's turn, the window would otherwise run on that grain's
                // scheduler; and without the task's execution context (its request context, its trace): the batch is the silo's.
                using (ExecutionContext.SuppressFlow())
                {
                    _ = Task.Run(() => SendWhenClosed(group, batches, open));
                }
            }
            var answer = open.Batcher.Add(push);
            if (!answer.IsCompleted)
            {
                open.Window.Pushes(push.TaskId, now);
                if (open.Window.AllIn)
                {
                    open.AllIn.TrySetResult();
                }
            }
            return answer;
        }
    }

    /// <summary>Drops what this silo learnt of groups nobody pushed to for <see cref="ForgetAfter"/> (ended jobs, a sweep's trials).</summary>
    private void ForgetIdleGroups(DateTime now)
    {
        foreach (var (name, _) in _groups.Where(g => now - g.Value.LastPush > ForgetAfter && g.Value.Open.Count == 0 && g.Value.InFlight == 0).ToList())
        {
            _groups.Remove(name);
        }
    }

    private async Task SendWhenClosed(string group, GroupBatches batches, OpenBatch open)
    {
        var batcher = open.Batcher;
        if (Idle <= TimeSpan.Zero)
        {
            await Task.Yield();
        }
        while (true)
        {
            Task wake;
            lock (_lock)
            {
                var wait = open.Window.Remaining(DateTime.UtcNow);
                var heldBy = batches.MixedVersions && batches.InFlight > 0 ? batches.Landed.Task : null;
                if (heldBy is null && (wait <= TimeSpan.Zero || Idle <= TimeSpan.Zero))
                {
                    // Closed: later pushes for this version open the next window, which expects this one's tasks.
                    batches.Open.Remove(open.Key);
                    if (open.Window.Pushed.Count > 0)
                    {
                        batches.LastMembers = open.Window.Pushed;
                    }
                    batches.InFlight++;
                    break;
                }
                wake = heldBy ?? Task.WhenAny(Task.Delay(wait), open.AllIn.Task);
            }
            await wake;
        }
        try
        {
            if (batcher.Count > 0)
            {
                var reply = await _pushBatch(group, batcher.ToBatch());
                if (reply.MixedVersions)
                {
                    lock (_lock)
                    {
                        batches.MixedVersions = true;
                    }
                }
                batcher.Answer(reply);
            }
        }
        catch (Exception e)
        {
            // Unreachable group (failover) or a refused call: every task pushes on its own, with its own retries.
            _logger.LogWarning("Aggregator {Group}: batch of {Count} not delivered ({Error}); its tasks push alone", group, batcher.Count, e.Message);
            batcher.Fail();
        }
        finally
        {
            lock (_lock)
            {
                batches.InFlight--;
                var landed = batches.Landed;
                batches.Landed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                landed.TrySetResult();
            }
        }
    }

    /// <summary>One group's windows on this silo (guarded by the aggregator's lock).</summary>
    private sealed class GroupBatches
    {
        public Dictionary<long, OpenBatch> Open { get; } = [];

        /// <summary>Batches sent and not answered yet.</summary>
        public int InFlight { get; set; }

        /// <summary>Learnt from the group's first answer: it is async, so one window takes every base version.</summary>
        public bool MixedVersions { get; set; }

        /// <summary>Completed (and replaced) whenever a sent batch is answered.</summary>
        public TaskCompletionSource Landed { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>When a task of this silo last pushed to the group.</summary>
        public DateTime LastPush { get; set; }

        /// <summary>The tasks of the last batch closed: whom the next window expects.</summary>
        public IReadOnlySet<string> LastMembers { get; set; } = new HashSet<string>();
    }

    /// <param name="Key">Its base version, or <see cref="AnyVersion"/> (an async group).</param>
    private sealed record OpenBatch(long Key, GradientBatcher Batcher, BatchWindow Window)
    {
        /// <summary>Completed when every task the window expects has pushed.</summary>
        public TaskCompletionSource AllIn { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
