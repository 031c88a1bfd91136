using Orleans.Placement;

namespace Accept.Grains.Placement;

/// <summary>The placement filter behind <see cref="PreferCoordinatorPlacementAttribute"/>; it carries no parameters.</summary>
public sealed class CoordinatorPlacementFilterStrategy() : PlacementFilterStrategy(order: 0);
