using Accept.Training.Metrics;

namespace Accept.Training.MultiTask;

/// <summary>One evaluation of a task on its validation split: the metric at <paramref name="Step"/>, whether it is the best so far, and a few decoded predictions to show.</summary>
public sealed record EvalResult(string Task, long Step, MetricKind Metric, double Value, bool IsBest, int Examples, IReadOnlyList<string> SamplePredictions);
