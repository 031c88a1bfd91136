using Orleans.Placement;

namespace Accept.Grains.Placement;

/// <summary>
/// Put on a grain class to activate it only on silos whose metadata says accept.role=worker. When no
/// worker is in the cluster, activation fails rather than falling back to a coordinator.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class WorkerPlacementAttribute() : PlacementFilterAttribute(new WorkerPlacementFilterStrategy());
