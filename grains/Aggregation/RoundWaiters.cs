using Accept.GrainInterfaces.Codebooks;

namespace Accept.Grains.Aggregation;

/// <summary>
/// The pushes waiting for a sync round to close: one per member that reported for it (by task), and the late
/// joiners' (tasks that joined after the round opened; they take part from the next one). A push offered again
/// while it waits gets the same answer (<see cref="Retried"/>). Plain: the coordinator answers them when the
/// round closes (<see cref="TakeAll"/>) or is abandoned (<see cref="AnswerAll"/>).
/// </summary>
internal sealed class RoundWaiters
{
    private readonly Dictionary<string, PendingPush> _members = new(StringComparer.Ordinal);
    private readonly List<PendingPush> _lateJoiners = [];

    /// <summary>Members waiting on the open round.</summary>
    public int Count => _members.Count;

    /// <summary>The tasks waiting on the open round.</summary>
    public IReadOnlySet<string> Tasks => _members.Keys.ToHashSet(StringComparer.Ordinal);

    /// <summary>A member's push for the open round; its answer comes when the round closes.</summary>
    public Task<PushResult> Wait(PendingPush pending)
    {
        _members[pending.Push.TaskId] = pending;
        return pending.Completion.Task;
    }

    /// <summary>A late joiner's push; its answer comes when the open round closes.</summary>
    public Task<PushResult> WaitLate(PendingPush pending)
    {
        _lateJoiners.Add(pending);
        return pending.Completion.Task;
    }

    /// <summary>The answer of the same push already waiting (<see cref="PushLedger.Same"/>), or null.</summary>
    public Task<PushResult>? Retried(GradientPush push)
    {
        if (_members.TryGetValue(push.TaskId, out var waiting) && PushLedger.Same(push, waiting.Push))
        {
            return waiting.Completion.Task;
        }
        return _lateJoiners.FirstOrDefault(p => PushLedger.Same(push, p.Push))?.Completion.Task;
    }

    /// <summary>Removes and returns every waiting push: the members' by task and the late joiners'.</summary>
    public (IReadOnlyDictionary<string, PendingPush> Members, IReadOnlyList<PendingPush> LateJoiners) TakeAll()
    {
        var taken = (new Dictionary<string, PendingPush>(_members, StringComparer.Ordinal), _lateJoiners.ToList());
        _members.Clear();
        _lateJoiners.Clear();
        return taken;
    }

    /// <summary>Answers every waiting push with <paramref name="answer"/> and forgets them.</summary>
    public void AnswerAll(Func<GradientPush, PushResult> answer)
    {
        var (members, late) = TakeAll();
        foreach (var pending in members.Values.Concat(late))
        {
            pending.Completion.TrySetResult(answer(pending.Push));
        }
    }
}
