namespace Accept.Grains.Placement;

/// <summary>A candidate silo as placement sees it: the activations it hosts (live and in flight) and its declared slots.</summary>
public readonly record struct SlotLoad<TSilo>(TSilo Silo, int Hosted, int Slots)
{
    /// <summary>Activations per slot.</summary>
    public double PerSlot => (double)Hosted / Math.Max(1, Slots);

    /// <summary>
    /// The least loaded candidate: fewest activations per slot; on a tie the one with more slots, then the
    /// first in <paramref name="order"/>. Placing one at a time this way leaves equal silos within one of each other.
    /// </summary>
    public static SlotLoad<TSilo> LeastLoaded(IReadOnlyCollection<SlotLoad<TSilo>> candidates, IComparer<TSilo> order) =>
        candidates.Count == 0
            ? throw new InvalidOperationException("No candidate silo to place on.")
            : candidates.OrderBy(c => c.PerSlot).ThenByDescending(c => c.Slots).ThenBy(c => c.Silo, order).First();
}
