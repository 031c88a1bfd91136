using System.Text;
using System.Text.Json;

namespace Accept.Training.Sweeps;

/// <summary>
/// Writes a resolved <see cref="SweepSpec"/> (defaults filled in, base run spec inline) in the sweep-spec format,
/// so that <see cref="SweepSpecReader"/> reads it back to the same spec: the sweep directory's <c>sweep.json</c>,
/// and what travels to the sweep grain.
/// </summary>
public static class SweepSpecWriter
{
    public static string ToJson(SweepSpec spec)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WritePropertyName("base");
            using (var doc = JsonDocument.Parse(spec.BaseRunSpecJson)) doc.RootElement.WriteTo(w);
            w.WriteStartObject("parameters");
            foreach (var p in spec.Parameters)
            {
                w.WriteStartObject(p.Path);
                w.WriteStartArray(Snake(p.Distribution));
                if (p.IsDiscrete)
                {
                    foreach (var v in p.Values) w.WriteRawValue(v);
                }
                else
                {
                    w.WriteNumberValue(p.Low);
                    w.WriteNumberValue(p.High);
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteStartObject("search");
            w.WriteString("kind", Snake(spec.Search.Kind));
            if (spec.Search.Kind == SearchKind.Random) w.WriteNumber("trials", spec.Search.Trials);
            w.WriteNumber("seed", spec.Search.Seed);
            w.WriteEndObject();
            w.WriteStartObject("objective");
            w.WriteString("metric", spec.Objective.Name);
            w.WriteString("mode", Snake(spec.Objective.Mode));
            w.WriteEndObject();
            WriteScheduler(w, spec.Scheduler);
            if (spec.MaxConcurrentTrials is { } m) w.WriteNumber("max_concurrent_trials", m);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteScheduler(Utf8JsonWriter w, SchedulerSpec s)
    {
        w.WriteStartObject("scheduler");
        w.WriteString("kind", Snake(s.Kind));
        w.WriteNumber("max_steps", s.MaxSteps);
        if (s.Kind == SchedulerKind.Asha)
        {
            w.WriteNumber("grace_steps", s.GraceSteps);
            w.WriteNumber("reduction_factor", s.ReductionFactor);
            w.WriteBoolean("deterministic", s.Deterministic);
        }
        if (s.Kind == SchedulerKind.Pbt)
        {
            w.WriteNumber("interval_steps", s.IntervalSteps);
            w.WriteNumber("quantile", s.Quantile);
            w.WriteStartObject("mutations");
            foreach (var (path, factors) in s.Mutations)
            {
                w.WriteStartObject(path);
                w.WriteStartArray("factors");
                foreach (var f in factors) w.WriteNumberValue(f);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static string Snake<T>(T value) where T : struct, Enum => Config.SpecEnum.SnakeCase(value.ToString());
}
