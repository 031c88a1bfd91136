using System.Text.Json;
using Accept.Training.Config.Json;

namespace Accept.Training.Config;

/// <summary>
/// Writes a resolved <see cref="RunSpec"/> (defaults and overrides applied, every key spelled out) as a run-spec JSON
/// that <see cref="RunSpecReader"/> reads back to the same spec, through the same <see cref="RunSpecDocument"/> and
/// options: what a run directory keeps (spec.json, read again by resume, evaluate, predict and export), and what
/// travels to the job grain.
/// </summary>
public static class RunSpecWriter
{
    public static string ToJson(RunSpec spec) => JsonSerializer.Serialize(Document(spec), RunSpecJsonContext.Document);

    private static RunSpecDocument Document(RunSpec spec) => new(
        spec.Backbone,
        [.. spec.Tasks.Select(Task)],
        Method(spec.Method),
        Optimization(spec.Optimization),
        spec.CodebookGroups.ToDictionary(g => g.Key, g => (List<string?>?)[.. g.Value], StringComparer.Ordinal),
        new AggregationDocument(Snake(spec.Aggregation.Mode), spec.Aggregation.MaxStaleness),
        spec.CheckpointEvery,
        spec.Transfer is { } x ? new TransferDocument(x.Source, x.Codebooks, x.WeightsFromTask, x.FreezeCodebooks) : null);

    // The group is in codebook_groups; a task does not repeat it.
    private static TaskDocument Task(TaskSpec t) => new(
        t.Name, Snake(t.Source), t.Dataset, t.Path, t.File, t.TrainFile, t.ValidationFile, t.TestFile, t.InputField, t.TargetField,
        t.Metric is { } m ? Snake(m) : null, t.Labels is { } labels ? [.. labels] : null,
        t.MaxTrainExamples, t.MaxLength, t.MaxTargetLength, CodebookGroup: null);

    private static MethodDocument Method(MethodSpec m) => new(
        m.PromptLength,
        new ScppDocument(m.Scpp.SubDim, m.Scpp.CodebookSize),
        new AddedDocument(Snake(m.Added.Kind), m.Added.SubDim, m.Added.CodebookSize, m.Added.Rank, m.Added.Alpha),
        m.MaxLength,
        m.PromptTuningBaseline);

    private static OptimizationDocument Optimization(OptimizationSpec o) => new(
        o.LearningRate, o.AddedLearningRate, o.WarmupSteps, o.Steps, o.BatchSize, o.GradClip, o.EvalEvery, o.Seed, o.EvalMaxExamples, o.MaxConsecutiveSkips);

    private static string Snake<T>(T value) where T : struct, Enum => SpecEnum.SnakeCase(value.ToString());
}
