using Accept.GrainInterfaces.Tasks;

namespace Accept.Grains.Tasks;

/// <summary>
/// A task's metric history (the last <see cref="MaxPoints"/> points, each step's loss and rate and, on
/// evaluation steps, the metric) and its step rate over a window of about ten seconds. Plain: the task grain
/// feeds it and checkpoints it through <see cref="MetricHistory"/>.
/// </summary>
public sealed class TaskMetricLog(TimeProvider? clock = null)
{
    public const int MaxPoints = 10_000;
    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(10);

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly List<TaskMetricPoint> _points = [];
    private long _windowStart;
    private long _windowStartStep;
    private long _reportedStep;

    public IReadOnlyList<TaskMetricPoint> Points => _points;

    /// <summary>Steps per second since the rate window began (0 before a step).</summary>
    public double StepsPerSecond { get; private set; }

    /// <summary>Replaces the history with a checkpoint's (the steps after it are trained and reported again) and starts the rate window at <paramref name="step"/>.</summary>
    public void Restore(IEnumerable<TaskMetricPoint> points, long step)
    {
        _points.Clear();
        _points.AddRange(points);
        Trim();
        // Reported by the activation that recorded them.
        _reportedStep = _points.Count > 0 ? _points[^1].Step : 0;
        StartWindow(step);
    }

    public void StartWindow(long step)
    {
        _windowStart = _clock.GetTimestamp();
        _windowStartStep = step;
    }

    public void Stepped(long step, double loss, double learningRate, long codebookVersion)
    {
        _points.Add(new TaskMetricPoint(step, loss, learningRate, null, codebookVersion));
        Trim();
        var elapsed = _clock.GetElapsedTime(_windowStart);
        if (elapsed > TimeSpan.Zero)
        {
            StepsPerSecond = (step - _windowStartStep) / elapsed.TotalSeconds;
        }
        if (elapsed > RateWindow)
        {
            StartWindow(step);
        }
    }

    /// <summary>Puts an evaluation's value on its step's point (evaluations follow the step they measure).</summary>
    public void Evaluated(long step, double value)
    {
        if (_points.Count > 0 && _points[^1].Step == step)
        {
            _points[^1] = _points[^1] with { Metric = value };
        }
    }

    public IReadOnlyList<TaskMetricPoint> After(long step) => _points.Where(p => p.Step > step).ToList();

    /// <summary>The points recorded since the last call (each final by then: a step's evaluation lands before it is reported), oldest first.</summary>
    public List<TaskMetricPoint> TakeUnreported()
    {
        var first = _points.Count;
        while (first > 0 && _points[first - 1].Step > _reportedStep)
        {
            first--;
        }
        var fresh = _points.GetRange(first, _points.Count - first);
        _reportedStep = fresh.Count > 0 ? fresh[^1].Step : _reportedStep;
        return fresh;
    }

    private void Trim()
    {
        if (_points.Count > MaxPoints)
        {
            _points.RemoveRange(0, _points.Count - MaxPoints);
        }
    }
}
