namespace Accept.Grains.Aggregation;

/// <summary>
/// The timers of a group's open sync round: its timeout (members still pending are dropped) and, when the
/// group has one, its deadline (the round closes with what it has). Each is started with the round's number,
/// which the owner hands back to the coordinator when it fires; a timer of a round that closed is disposed.
/// </summary>
/// <param name="startTimeout">Starts the timeout of a round.</param>
/// <param name="startDeadline">Starts the deadline of a round; null when rounds have none.</param>
public sealed class RoundTimers(Func<long, IDisposable> startTimeout, Func<long, IDisposable>? startDeadline) : IDisposable
{
    private IDisposable? _timeout;
    private IDisposable? _deadline;

    /// <summary>Starts <paramref name="round"/>'s timers, stopping any earlier round's.</summary>
    public void Start(long round)
    {
        Stop();
        _timeout = startTimeout(round);
        _deadline = startDeadline?.Invoke(round);
    }

    public void Stop()
    {
        _timeout?.Dispose();
        _timeout = null;
        _deadline?.Dispose();
        _deadline = null;
    }

    public void Dispose() => Stop();
}
