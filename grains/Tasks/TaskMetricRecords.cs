using Accept.GrainInterfaces.Tasks;
using Accept.Training.Runs;

namespace Accept.Grains.Tasks;

/// <summary>
/// The one mapping from the wire's <see cref="TaskMetricPoint"/> to the run directory's <see cref="MetricRecord"/>
/// (metrics.jsonl lines), used by the client's live run directory and by sweep trial artifacts.
/// </summary>
public static class TaskMetricRecords
{
    /// <summary>The step's loss line (a non-finite loss is written as null).</summary>
    public static MetricRecord LossRecord(this TaskMetricPoint point, string task) =>
        new(point.Step, task, double.IsFinite(point.Loss) ? point.Loss : null, point.LearningRate, CodebookVersion: point.CodebookVersion);

    /// <summary>The evaluation line, when the step evaluated.</summary>
    public static MetricRecord? EvaluationRecord(this TaskMetricPoint point, string task, string? metricName) =>
        point.Metric is { } metric ? new(point.Step, task, Metric: metric, MetricName: metricName) : null;
}
