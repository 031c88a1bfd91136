using Orleans.Placement;

namespace Accept.Grains.Placement;

/// <summary>
/// Put on job and codebook grains: they activate on a coordinator silo when the cluster has one, so
/// losing a worker never takes aggregation or job state with it; without coordinators they go anywhere.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class PreferCoordinatorPlacementAttribute() : PlacementFilterAttribute(new CoordinatorPlacementFilterStrategy());
