using System.Text.Json;
using System.Text.Json.Serialization;
using Accept.GrainInterfaces.Tasks;

namespace Accept.Grains.Tasks;

/// <summary>
/// A task's metric points as a checkpoint part, so a task restored on another silo still answers its
/// whole history: JSON rows <c>[step, loss, learning rate, metric or null]</c>, a few dozen bytes a point.
/// </summary>
internal static class MetricHistory
{
    // A diverged step's loss is NaN or ±inf; the history keeps it as it was reported.
    private static readonly JsonSerializerOptions Options = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static byte[] ToBytes(IEnumerable<TaskMetricPoint> points) =>
        JsonSerializer.SerializeToUtf8Bytes(points.Select(p => new double?[] { p.Step, p.Loss, p.LearningRate, p.Metric }), Options);

    /// <param name="source">Names the checkpoint in the error when the part is malformed.</param>
    public static List<TaskMetricPoint> FromBytes(byte[] bytes, string source)
    {
        double?[][]? rows;
        try
        {
            rows = JsonSerializer.Deserialize<double?[][]>(bytes, Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: the metric history is not a JSON list of rows: {e.Message}", e);
        }
        return (rows ?? []).Select((row, i) => row is [double step, double loss, double rate, var metric]
            ? new TaskMetricPoint((long)step, loss, rate, metric)
            : throw new InvalidDataException($"{source}: metric history row {i} is not [step, loss, learning rate, metric]")).ToList();
    }
}
