using Accept.GrainInterfaces.Codebooks;

namespace Accept.Grains.Aggregation;

/// <summary>
/// Who takes part in a codebook group's rounds: the members, those dropped at a round timeout (until they
/// rejoin), each member's activation epoch (pushes from an older one are refused) and the last step whose
/// gradient the group took per task (a push at or below it is a duplicate).
/// </summary>
public sealed class GroupMembership
{
    private readonly SortedSet<string> _members = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dropped = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Guid> _epochs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastSteps = new(StringComparer.Ordinal);

    public GroupMembership(IEnumerable<string> members, IReadOnlyDictionary<string, long> lastSteps)
    {
        _members.UnionWith(members);
        foreach (var (task, step) in lastSteps)
        {
            _lastSteps[task] = step;
        }
    }

    public IReadOnlySet<string> Members => _members;

    public IReadOnlyDictionary<string, long> LastSteps => _lastSteps;

    public void Join(string task, Guid epoch)
    {
        _members.Add(task);
        _dropped.Remove(task);
        if (epoch != Guid.Empty)
        {
            _epochs[task] = epoch;
        }
    }

    public void Leave(string task) => _members.Remove(task);

    /// <summary>Out of the rounds until it joins again (it missed a round's timeout).</summary>
    public void Drop(string task)
    {
        _members.Remove(task);
        _dropped.Add(task);
    }

    /// <summary>The step's gradient was taken into the group.</summary>
    public void Applied(string task, long step) => _lastSteps[task] = step;

    /// <summary>The last step applied for the task when <paramref name="step"/> is at or below it (a repeat), else null.</summary>
    public long? DuplicateOf(string task, long step) => _lastSteps.TryGetValue(task, out var last) && step <= last ? last : null;

    /// <summary>Why the push's sender may not push now (a superseded activation, dropped at a timeout), or null.</summary>
    public PushResult? Refusal(GradientPush push, long version)
    {
        if (push.Epoch != Guid.Empty && _epochs.TryGetValue(push.TaskId, out var epoch) && epoch != push.Epoch)
        {
            return new PushResult(false, version, PushRejectCode.Superseded,
                $"Task '{push.TaskId}' pushed step {push.Step} from an activation the group no longer knows (a newer one joined); it is not applied.");
        }
        if (_dropped.Contains(push.TaskId))
        {
            return new PushResult(false, version, PushRejectCode.TooStale,
                $"Task '{push.TaskId}' was dropped from a round after its timeout without a push; join again and pull the snapshot.");
        }
        return null;
    }
}
