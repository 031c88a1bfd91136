using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Accept.Training.Config;

/// <summary>
/// Writes a resolved <see cref="RunSpec"/> (defaults and overrides applied) as a run-spec JSON that
/// <see cref="RunSpecReader"/> reads back to the same spec: what a run directory keeps, and what travels
/// to the job grain.
/// </summary>
public static class RunSpecWriter
{
    public static string ToJson(RunSpec spec)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            if (spec.Backbone is not null) w.WriteString("backbone", spec.Backbone);
            w.WriteStartArray("tasks");
            foreach (var t in spec.Tasks) WriteTask(w, t);
            w.WriteEndArray();
            WriteMethod(w, spec.Method);
            WriteOptimization(w, spec.Optimization);
            w.WriteStartObject("codebook_groups");
            foreach (var (group, tasks) in spec.CodebookGroups)
            {
                w.WriteStartArray(group);
                foreach (var t in tasks) w.WriteStringValue(t);
                w.WriteEndArray();
            }
            w.WriteEndObject();
            w.WriteStartObject("aggregation");
            w.WriteString("mode", Snake(spec.Aggregation.Mode));
            w.WriteNumber("max_staleness", spec.Aggregation.MaxStaleness);
            w.WriteEndObject();
            w.WriteNumber("checkpoint_every", spec.CheckpointEvery);
            if (spec.Transfer is { } x)
            {
                w.WriteStartObject("transfer");
                w.WriteString("source", x.Source);
                w.WriteBoolean("codebooks", x.Codebooks);
                if (x.WeightsFromTask is not null) w.WriteString("weights_from_task", x.WeightsFromTask);
                w.WriteBoolean("freeze_codebooks", x.FreezeCodebooks);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteTask(Utf8JsonWriter w, TaskSpec t)
    {
        w.WriteStartObject();
        w.WriteString("name", t.Name);
        w.WriteString("source", Snake(t.Source));
        w.WriteString("dataset", t.Dataset);
        Optional(w, "path", t.Path);
        Optional(w, "file", t.File);
        Optional(w, "train_file", t.TrainFile);
        Optional(w, "validation_file", t.ValidationFile);
        Optional(w, "test_file", t.TestFile);
        Optional(w, "input_field", t.InputField);
        Optional(w, "target_field", t.TargetField);
        if (t.Metric is { } m) w.WriteString("metric", Snake(m));
        if (t.Labels is { } labels)
        {
            w.WriteStartArray("labels");
            foreach (var l in labels) w.WriteStringValue(l);
            w.WriteEndArray();
        }
        if (t.MaxTrainExamples is { } mt) w.WriteNumber("max_train_examples", mt);
        if (t.MaxLength is { } ml) w.WriteNumber("max_length", ml);
        w.WriteNumber("max_target_length", t.MaxTargetLength);
        w.WriteEndObject();
    }

    private static void WriteMethod(Utf8JsonWriter w, MethodSpec m)
    {
        w.WriteStartObject("method");
        w.WriteNumber("prompt_length", m.PromptLength);
        w.WriteStartObject("scpp");
        w.WriteNumber("sub_dim", m.Scpp.SubDim);
        w.WriteNumber("codebook_size", m.Scpp.CodebookSize);
        w.WriteEndObject();
        w.WriteStartObject("added");
        w.WriteString("kind", Snake(m.Added.Kind));
        w.WriteNumber("sub_dim", m.Added.SubDim);
        w.WriteNumber("codebook_size", m.Added.CodebookSize);
        w.WriteNumber("rank", m.Added.Rank);
        Number(w, "alpha", m.Added.Alpha);
        w.WriteEndObject();
        w.WriteNumber("max_length", m.MaxLength);
        w.WriteBoolean("prompt_tuning_baseline", m.PromptTuningBaseline);
        w.WriteEndObject();
    }

    private static void WriteOptimization(Utf8JsonWriter w, OptimizationSpec o)
    {
        w.WriteStartObject("optimization");
        Number(w, "learning_rate", o.LearningRate);
        Number(w, "added_learning_rate", o.AddedLearningRate);
        w.WriteNumber("warmup_steps", o.WarmupSteps);
        w.WriteNumber("steps", o.Steps);
        w.WriteNumber("batch_size", o.BatchSize);
        Number(w, "grad_clip", o.GradClip);
        w.WriteNumber("eval_every", o.EvalEvery);
        w.WriteNumber("seed", o.Seed);
        if (o.EvalMaxExamples is { } e) w.WriteNumber("eval_max_examples", e);
        w.WriteNumber("max_consecutive_skips", o.MaxConsecutiveSkips);
        w.WriteEndObject();
    }

    // "R" keeps doubles exact through the round trip.
    private static void Number(Utf8JsonWriter w, string key, double value)
    {
        w.WritePropertyName(key);
        w.WriteRawValue(value.ToString("R", CultureInfo.InvariantCulture));
    }

    private static void Optional(Utf8JsonWriter w, string key, string? value)
    {
        if (value is not null) w.WriteString(key, value);
    }

    private static string Snake<T>(T value) where T : struct, Enum => SpecEnum.SnakeCase(value.ToString());
}
