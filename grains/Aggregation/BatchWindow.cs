namespace Accept.Grains.Aggregation;

/// <summary>
/// When a silo's open batch for one codebook group and base version is sent. It stays open while the silo's tasks
/// keep pushing: it closes <see cref="Idle"/> after the last push (so a burst of tasks that push one after another
/// goes as one batch however long the burst), at once when every task of the group's previous batch from this silo
/// has pushed again (nobody else is expected), and at the latest <see cref="MaxWindows"/> × <see cref="Idle"/> after it
/// opened (a steady stream of pushes still gets answers). Plain and single-threaded: the aggregator calls it under its lock.
/// </summary>
public sealed class BatchWindow(TimeSpan idle, DateTime opened, IReadOnlySet<string> expected)
{
    /// <summary>The longest a window stays open, in idle periods.</summary>
    public const int MaxWindows = 25;

    private readonly HashSet<string> _pushed = new(StringComparer.Ordinal);
    private readonly DateTime _opened = opened;
    private DateTime _last = opened;
    private int _expectedIn;

    public TimeSpan Idle { get; } = idle;

    /// <summary>The tasks that pushed into this window (the next window's <c>expected</c>).</summary>
    public IReadOnlySet<string> Pushed => _pushed;

    public void Pushes(string task, DateTime at)
    {
        if (_pushed.Add(task) && expected.Contains(task))
        {
            _expectedIn++;
        }
        _last = at > _last ? at : _last;
    }

    /// <summary>True when every task expected has pushed (and some task has). Counted as pushes arrive: checked on every push.</summary>
    public bool AllIn => expected.Count > 0 && _expectedIn == expected.Count;

    /// <summary>How long to wait before sending; zero or less: send now.</summary>
    public TimeSpan Remaining(DateTime now)
    {
        if (AllIn)
        {
            return TimeSpan.Zero;
        }
        var idleEnd = _last + Idle;
        var hardEnd = _opened + Idle * MaxWindows;
        return (idleEnd < hardEnd ? idleEnd : hardEnd) - now;
    }
}
