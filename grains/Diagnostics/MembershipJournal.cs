using Microsoft.Extensions.Logging;

namespace Accept.Grains.Diagnostics;

/// <summary>
/// The push journal's membership lines: with the journal on (<see cref="PushJournalFilter"/>'s log category
/// at Debug), each change of a silo's status this silo sees (joining, active, dead, …) is one line, so the
/// chaos harness knows when a stopped silo was declared dead and can check that none of its pushes was
/// applied after that (docs/reliability.md). Off, it watches nothing.
/// </summary>
public sealed class MembershipJournal(IClusterMembershipService membership, ILogger<PushJournalFilter> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    /// <summary>The text every membership line starts with.</summary>
    public const string Marker = PushJournalFilter.Marker + "-membership";

    private readonly CancellationTokenSource _stop = new();
    private Task _watch = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(nameof(MembershipJournal), ServiceLifecycleStage.Active,
        _ =>
        {
            if (logger.IsEnabled(LogLevel.Debug))
            {
                // Off the Orleans scheduler: a plain loop over membership snapshots.
                _watch = Task.Run(() => WatchAsync(_stop.Token));
            }
            return Task.CompletedTask;
        },
        async _ =>
        {
            await _stop.CancelAsync();
            await _watch.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        });

    private async Task WatchAsync(CancellationToken cancel)
    {
        var known = new Dictionary<SiloAddress, SiloStatus>();
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(cancel))
            {
                foreach (var (address, member) in snapshot.Members)
                {
                    if (known.TryGetValue(address, out var status) && status == member.Status) continue;
                    known[address] = member.Status;
                    logger.LogDebug("{Marker} silo={Silo} name={Name} status={Status}", Marker, address.ToParsableString(), member.Name, member.Status);
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // The silo is stopping.
        }
    }

    public void Dispose() => _stop.Dispose();
}
