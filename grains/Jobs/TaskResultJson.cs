using System.Text.Json;
using System.Text.Json.Serialization;
using Accept.GrainInterfaces.Jobs;
using Accept.GrainInterfaces.Tasks;
using Accept.Training.Runs;

namespace Accept.Grains.Jobs;

/// <summary>
/// A <see cref="TaskResult"/> in a stored job record: written as the record is, and read in either that shape or the
/// flat one records had before the result carried its <see cref="TaskSummary"/> (the summary's figures beside
/// state, tokens and error), so a job stored by an earlier version still reads with its finished tasks' figures.
/// </summary>
internal sealed class TaskResultJson : JsonConverter<TaskResult>
{
    private static readonly JsonSerializerOptions Plain = new();

    public override TaskResult? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var element = JsonElement.ParseValue(ref reader);
        if (element.ValueKind != JsonValueKind.Object || element.TryGetProperty(nameof(TaskResult.Summary), out _))
        {
            return element.Deserialize<TaskResult>(Plain);
        }
        var flat = element.Deserialize<FlatTaskResult>(Plain)!;
        // Before, a task that never reached a silo stored no metric name (a session always names its metric).
        var summary = flat.MetricName is null ? null
            : new TaskSummary(flat.MetricName, flat.FinalLoss, flat.BestMetric, flat.BestStep, flat.MajorityBaseline, flat.Steps, flat.SkippedSteps)
            {
                InitialLoss = flat.InitialLoss,
            };
        return new TaskResult(flat.TaskName, flat.State, flat.Tokens, flat.Error, summary);
    }

    public override void Write(Utf8JsonWriter writer, TaskResult value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, Plain);

    /// <summary>The stored shape before: the summary's figures flat beside state, tokens and error (read only).</summary>
    private sealed record FlatTaskResult(string TaskName, long Steps, double? FinalLoss, double? BestMetric, string? MetricName, double? MajorityBaseline,
        long Tokens, TaskState State, long? BestStep, double? InitialLoss, string? Error, long SkippedSteps = 0);
}
