using Orleans.Placement;

namespace Accept.Grains.Placement;

/// <summary>
/// Put on task grains: a new activation goes to the worker silo that hosts the fewest activations of the
/// same grain type per declared slot (<c>accept.slots</c>), so N tasks on S equal workers leave each with
/// ⌊N/S⌋ or ⌈N/S⌉. Combine with <see cref="WorkerPlacementAttribute"/>, which narrows the candidates to workers.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class TaskSlotPlacementAttribute() : PlacementAttribute(TaskSlotPlacementStrategy.Instance);
