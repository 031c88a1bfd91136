namespace Accept.Client.Cluster;

/// <summary>A task's metric points as the client has collected them from job events (the in-process trainer's
/// per-step report is <c>Accept.Training.MultiTask.TaskProgress</c>; the wire status is <c>TrainingTaskStatus</c>).</summary>
public sealed class CollectedTaskMetrics
{
    /// <summary>The last step collected; 0 before the first (task steps count from 1).</summary>
    public long LastStep { get; private set; }

    public double? LastLoss { get; private set; }

    public string? MetricName { get; internal set; }

    /// <summary>The highest metric seen (every metric of the project is better when higher) and its step.</summary>
    public double? BestMetric { get; private set; }

    public long? BestStep { get; private set; }

    /// <summary>The last step whose evaluation was collected; 0 before the first.</summary>
    public long LastMetricStep { get; private set; }

    public int Points { get; private set; }

    internal void AddStep(long step, double loss)
    {
        LastStep = step;
        LastLoss = double.IsFinite(loss) ? loss : LastLoss;
        Points++;
    }

    internal void AddMetric(long step, double metric)
    {
        LastMetricStep = step;
        if (BestMetric is null || metric > BestMetric)
        {
            BestMetric = metric;
            BestStep = step;
        }
    }
}
