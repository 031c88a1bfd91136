using Orleans.Runtime;

namespace Accept.Grains.Placement;

/// <summary>The placement strategy behind <see cref="TaskSlotPlacementAttribute"/>; it carries no parameters.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
[Alias("accept.TaskSlotPlacementStrategy")]
public sealed class TaskSlotPlacementStrategy : PlacementStrategy
{
    public static TaskSlotPlacementStrategy Instance { get; } = new();
}
