using System.Globalization;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace Accept.Grains.Placement;

/// <summary>
/// Places a grain on the candidate silo (after the placement filters: workers) that hosts the fewest live
/// activations of the same grain type per declared slot. It runs on whichever silo activates the grain, so
/// it asks every candidate for its live activations (the management grain's per-silo statistics: an
/// up-to-date, cluster-wide view, not a sampled one) and adds the placements it made itself that have not
/// shown up there yet, so a burst of activations from one caller does not all land on one silo. A dead
/// silo is no candidate, so its grains go to the least loaded survivors; a silo that joins is one at once.
/// </summary>
internal sealed class TaskSlotPlacementDirector(IGrainFactory grains, ISiloMetadataCache metadata, ILogger<TaskSlotPlacementDirector> logger) : IPlacementDirector
{
    /// <summary>
    /// How long a placement counts as in flight when its activation is not seen live: it failed to activate, or it
    /// activated and was gone again before a later placement looked (the tail of a burst of short-lived grains).
    /// Such a stale entry still counted as load on its silo, so for 30 s the next job's tasks all went to the other
    /// silos (bench scale: every async task of a configuration on one silo); 10 s still covers a loaded activation.
    /// </summary>
    private static readonly TimeSpan InFlightLimit = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A placement older than this when a silo was asked for its activations is taken as shown by the answer: live
    /// there, or gone. Activating a task grain takes milliseconds, so only a grain that came and went is missed; without
    /// this the tail of a burst (never seen live by a later placement of the burst) counted for <see cref="InFlightLimit"/>.
    /// </summary>
    private static readonly TimeSpan ActivationGrace = TimeSpan.FromSeconds(2);

    /// <summary>A candidate that does not say what it hosts within this is skipped (it is dying, or overloaded).</summary>
    private static readonly TimeSpan CountTimeout = TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private readonly Dictionary<GrainId, (SiloAddress Silo, DateTime Placed)> _inFlight = [];
    private readonly Dictionary<(SiloAddress Silo, GrainType Type), Task<(SiloAddress Silo, List<GrainId>? Grains, DateTime Asked)>> _asking = [];

    public async Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var candidates = context.GetCompatibleSilos(target);
        if (candidates.Length == 0)
        {
            throw new OrleansException($"No silo can host {target.GrainIdentity}: the cluster has no {SiloMetadataKeys.WorkerRole} silo.");
        }
        if (IPlacementDirector.GetPlacementHint(target.RequestContextData, candidates) is { } hint)
        {
            return hint;
        }
        var hosted = await Task.WhenAll(candidates.Select(silo => Hosted(silo, target.GrainIdentity.Type)));
        lock (_lock)
        {
            var live = hosted.Where(h => h.Grains is not null).SelectMany(h => h.Grains!).ToHashSet();
            var askedAt = hosted.Where(h => h.Grains is not null).ToDictionary(h => h.Silo, h => h.Asked);
            // An arrived answer is never shared again; drop it rather than keep every silo's last grain list.
            foreach (var silo in candidates)
            {
                if (_asking.TryGetValue((silo, target.GrainIdentity.Type), out var asked) && asked.IsCompleted)
                {
                    _asking.Remove((silo, target.GrainIdentity.Type));
                }
            }
            var now = DateTime.UtcNow;
            var inFlightPerSilo = new Dictionary<SiloAddress, int>();
            foreach (var (grain, (silo, placed)) in _inFlight.ToList())
            {
                if (live.Contains(grain) || now - placed > InFlightLimit
                    || (askedAt.TryGetValue(silo, out var asked) && asked - placed > ActivationGrace))
                {
                    _inFlight.Remove(grain);
                }
                else if (grain != target.GrainIdentity)
                {
                    inFlightPerSilo[silo] = inFlightPerSilo.GetValueOrDefault(silo) + 1;
                }
            }
            // Silos that did not answer are left out, unless none answered.
            var answered = hosted.Where(h => h.Grains is not null).ToList();
            var loads = (answered.Count > 0 ? answered : hosted.ToList()).Select(h => new SlotLoad<SiloAddress>(
                h.Silo,
                (h.Grains?.Count(g => g != target.GrainIdentity) ?? 0) + inFlightPerSilo.GetValueOrDefault(h.Silo),
                Slots(h.Silo))).ToList();
            var chosen = SlotLoad<SiloAddress>.LeastLoaded(loads, Comparer<SiloAddress>.Default);
            _inFlight[target.GrainIdentity] = (chosen.Silo, now);
            logger.LogInformation("Placing {Grain} on {Silo}: {Loads}", target.GrainIdentity, chosen.Silo,
                string.Join(", ", loads.Select(l => $"{l.Silo} {l.Hosted}/{l.Slots}")));
            return chosen.Silo;
        }
    }

    /// <summary>
    /// The silo's activations: placements made while a question to the silo is unanswered share its answer. Each answer
    /// lists every activation of the type on the silo, so asking once per placement made a burst of n concurrent
    /// placements cost n × silos answers of up to n grains each (1,600 tasks on 4 silos: 6,400 calls, millions of
    /// entries). Placements made since the question was asked are counted from the in-flight list, so a burst still
    /// spreads; an answer is never reused once it has arrived, so placements one after another (through any silo)
    /// see each other's grains.
    /// </summary>
    private Task<(SiloAddress Silo, List<GrainId>? Grains, DateTime Asked)> Hosted(SiloAddress silo, GrainType type)
    {
        lock (_lock)
        {
            if (_asking.TryGetValue((silo, type), out var asking) && !asking.IsCompleted)
            {
                return asking;
            }
            var answer = HostedAsync(silo, type);
            _asking[(silo, type)] = answer;
            return answer;
        }
    }

    /// <summary>The grains of <paramref name="type"/> active on <paramref name="silo"/>; null when it did not answer in time.</summary>
    private async Task<(SiloAddress Silo, List<GrainId>? Grains, DateTime Asked)> HostedAsync(SiloAddress silo, GrainType type)
    {
        var asked = DateTime.UtcNow;
        try
        {
            var statistics = await grains.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics(hostsIds: [silo]).WaitAsync(CountTimeout);
            return (silo, statistics.Where(s => s.GrainId.Type.Equals(type)).Select(s => s.GrainId).ToList(), asked);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException or SiloUnavailableException)
        {
            logger.LogWarning("Placement: silo {Silo} did not report its activations ({Error}); not placing there now", silo, e.Message);
            return (silo, null, asked);
        }
    }

    /// <summary>The silo's declared <c>accept.slots</c>; 1 when it declared none.</summary>
    private int Slots(SiloAddress silo) =>
        metadata.GetSiloMetadata(silo).Metadata.TryGetValue(SiloMetadataKeys.Slots, out var text)
        && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var slots) && slots > 0
            ? slots
            : 1;
}
