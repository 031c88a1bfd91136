using System.Text.Json.Serialization;

namespace Accept.Client.Benchmarks.Memory;

/// <summary>
/// Memory of one worker silo process running <see cref="Tasks"/> task grains of one job. Megabytes are
/// MiB. The native estimate is the working set minus the managed heap's committed bytes: libtorch's
/// tensors (the backbone, the tasks' weights) plus the runtime's own native memory.
/// </summary>
public sealed record SiloMemoryReport(
    [property: JsonPropertyName("tasks")] int Tasks,
    [property: JsonPropertyName("backbone_parameters")] long BackboneParameters,
    [property: JsonPropertyName("backbone_loads")] int BackboneLoads,
    [property: JsonPropertyName("sessions")] int Sessions,
    [property: JsonPropertyName("steps_per_task")] long StepsPerTask,
    [property: JsonPropertyName("baseline_working_set_mb")] double BaselineWorkingSetMb,
    [property: JsonPropertyName("working_set_mb")] double WorkingSetMb,
    [property: JsonPropertyName("managed_heap_mb")] double ManagedHeapMb,
    [property: JsonPropertyName("native_estimate_mb")] double NativeEstimateMb,
    [property: JsonPropertyName("working_set_growth_mb")] double WorkingSetGrowthMb);
