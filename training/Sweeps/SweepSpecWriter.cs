using System.Text.Json;
using Accept.Training.Config;
using Accept.Training.Sweeps.Json;

namespace Accept.Training.Sweeps;

/// <summary>
/// Writes a resolved <see cref="SweepSpec"/> (defaults filled in, base run spec inline) through the same
/// <see cref="SweepSpecDocument"/> and options <see cref="SweepSpecReader"/> reads, so it reads back to the same spec:
/// the sweep directory's <c>sweep.json</c>, and what travels to the sweep grain.
/// </summary>
public static class SweepSpecWriter
{
    public static string ToJson(SweepSpec spec)
    {
        using var baseRunSpec = JsonDocument.Parse(spec.BaseRunSpecJson);
        var s = spec.Scheduler;
        var (asha, pbt) = (s.Kind == SchedulerKind.Asha, s.Kind == SchedulerKind.Pbt);
        var document = new SweepSpecDocument(
            baseRunSpec.RootElement,
            spec.Parameters.ToDictionary(p => p.Path, p => (Dictionary<string, JsonElement>?)new() { [Snake(p.Distribution)] = Values(p) }, StringComparer.Ordinal),
            new SearchDocument(Snake(spec.Search.Kind), spec.Search.Kind == SearchKind.Random ? spec.Search.Trials : null, spec.Search.Seed),
            new ObjectiveDocument(spec.Objective.Name, Snake(spec.Objective.Mode)),
            new SchedulerDocument(Snake(s.Kind), s.MaxSteps,
                asha ? s.GraceSteps : null, asha ? s.ReductionFactor : null, asha ? s.Deterministic : null,
                pbt ? s.IntervalSteps : null, pbt ? s.Quantile : null,
                pbt ? s.Mutations.ToDictionary(m => m.Key, m => (MutationDocument?)new MutationDocument([.. m.Value]), StringComparer.Ordinal) : null),
            spec.MaxConcurrentTrials);
        return JsonSerializer.Serialize(document, SweepSpecJsonContext.Document);
    }

    /// <summary>A choice's or grid's raw values, or a range's [low, high].</summary>
    private static JsonElement Values(ParameterSpec p)
    {
        if (!p.IsDiscrete) return JsonSerializer.SerializeToElement([p.Low, p.High], SweepSpecJsonContext.Default.ListDouble);
        using var values = JsonDocument.Parse($"[{string.Join(",", p.Values)}]");
        return values.RootElement.Clone();
    }

    private static string Snake<T>(T value) where T : struct, Enum => SpecEnum.SnakeCase(value.ToString());
}
