namespace Accept.Training.Prediction;

/// <summary>Reports on the calling thread (System.Progress posts to the thread pool, so reports could arrive late or out of order).</summary>
public sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
