namespace Accept.Training.MultiTask;

/// <summary>
/// A task whose last optimization.max_consecutive_skips steps were all skipped for a non-finite loss or
/// gradient: its weights or learning rate have diverged, and further steps would only be skipped too.
/// </summary>
public sealed class TrainingDivergedException(string task, long step, int consecutiveSkips)
    : Exception($"task '{task}' diverged: its last {consecutiveSkips} steps (up to step {step}) had a non-finite loss or gradient and were skipped "
        + "(limit optimization.max_consecutive_skips); lower optimization.learning_rate or optimization.added_learning_rate")
{
    public string Task { get; } = task;
    public long Step { get; } = step;
}
