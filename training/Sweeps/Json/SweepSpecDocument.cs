using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Accept.Training.Config.Json;

namespace Accept.Training.Sweeps.Json;

// The sweep spec as JSON spells it (docs/sweeps.md), read and written with the run spec's options; SweepSpecReader
// validates it. `base` is a file name or an inline run spec; a parameter is { "<distribution>": [values] }.

internal sealed record SweepSpecDocument(
    JsonElement? Base,
    Dictionary<string, Dictionary<string, JsonElement>?>? Parameters,
    SearchDocument? Search,
    ObjectiveDocument? Objective,
    SchedulerDocument? Scheduler,
    int? MaxConcurrentTrials);

internal sealed record SearchDocument(string? Kind, int? Trials, long? Seed);

internal sealed record ObjectiveDocument(string? Metric, string? Mode);

/// <summary>Every scheduler's keys; which a kind takes is checked by the reader.</summary>
internal sealed record SchedulerDocument(
    string? Kind,
    int? MaxSteps,
    int? GraceSteps,
    int? ReductionFactor,
    bool? Deterministic,
    int? IntervalSteps,
    double? Quantile,
    Dictionary<string, MutationDocument?>? Mutations);

internal sealed record MutationDocument(List<double>? Factors);

[JsonSerializable(typeof(SweepSpecDocument))]
[JsonSerializable(typeof(List<double>))]
internal sealed partial class SweepSpecJsonContext : JsonSerializerContext
{
    /// <summary>The sweep spec's document with the options of every spec file (<see cref="SpecJson.Options"/>).</summary>
    public static JsonTypeInfo<SweepSpecDocument> Document => field ??= SpecJson.TypeInfo<SweepSpecDocument>(Default);
}
