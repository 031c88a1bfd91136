using Orleans.Placement;

namespace Accept.Grains.Placement;

/// <summary>The placement filter behind <see cref="WorkerPlacementAttribute"/>; it carries no parameters.</summary>
public sealed class WorkerPlacementFilterStrategy() : PlacementFilterStrategy(order: 0);
