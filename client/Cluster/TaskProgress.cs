using Accept.GrainInterfaces.Tasks;

namespace Accept.Client.Cluster;

/// <summary>A task's metric points as the client has collected them.</summary>
public sealed class TaskProgress
{
    /// <summary>The last step collected; 0 before the first (task steps count from 1).</summary>
    public long LastStep { get; private set; }

    public double? LastLoss { get; private set; }

    public string? MetricName { get; internal set; }

    /// <summary>The highest metric seen (every metric of the project is better when higher) and its step.</summary>
    public double? BestMetric { get; private set; }

    public long? BestStep { get; private set; }

    public int Points { get; private set; }

    internal void Add(TaskMetricPoint point)
    {
        LastStep = point.Step;
        LastLoss = point.Loss;
        Points++;
        if (point.Metric is { } metric && (BestMetric is null || metric > BestMetric))
        {
            BestMetric = metric;
            BestStep = point.Step;
        }
    }
}
