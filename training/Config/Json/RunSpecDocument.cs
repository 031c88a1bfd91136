using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Accept.Training.Config.Json;

// The run spec as JSON spells it (docs/run-spec.md): every key optional here, snake_case names, declaration order
// = the order the writer writes. RunSpecValidation turns it into a RunSpec (defaults, ranges, cross-key rules).

internal sealed record RunSpecDocument(
    string? Backbone,
    List<TaskDocument?>? Tasks,
    MethodDocument? Method,
    OptimizationDocument? Optimization,
    Dictionary<string, List<string?>?>? CodebookGroups,
    AggregationDocument? Aggregation,
    int? CheckpointEvery,
    TransferDocument? Transfer);

internal sealed record TaskDocument(
    string? Name,
    string? Source,
    string? Dataset,
    string? Path,
    string? File,
    string? TrainFile,
    string? ValidationFile,
    string? TestFile,
    string? InputField,
    string? TargetField,
    string? Metric,
    List<string?>? Labels,
    int? MaxTrainExamples,
    int? MaxLength,
    int? MaxTargetLength,
    string? CodebookGroup);

internal sealed record MethodDocument(int? PromptLength, ScppDocument? Scpp, AddedDocument? Added, int? MaxLength, bool? PromptTuningBaseline);

internal sealed record ScppDocument(int? SubDim, int? CodebookSize);

internal sealed record AddedDocument(string? Kind, int? SubDim, int? CodebookSize, int? Rank, double? Alpha);

internal sealed record OptimizationDocument(
    double? LearningRate,
    double? AddedLearningRate,
    int? WarmupSteps,
    int? Steps,
    int? BatchSize,
    double? GradClip,
    int? EvalEvery,
    long? Seed,
    int? EvalMaxExamples,
    int? MaxConsecutiveSkips);

internal sealed record AggregationDocument(string? Mode, int? MaxStaleness);

internal sealed record TransferDocument(string? Source, bool? Codebooks, string? WeightsFromTask, bool? FreezeCodebooks);

[JsonSerializable(typeof(RunSpecDocument))]
internal sealed partial class RunSpecJsonContext : JsonSerializerContext
{
    /// <summary>The run spec's document with the options of every spec file (<see cref="SpecJson.Options"/>).</summary>
    public static JsonTypeInfo<RunSpecDocument> Document => field ??= SpecJson.TypeInfo<RunSpecDocument>(Default);
}
