using Accept.Training.Prompts;
using static TorchSharp.torch;

namespace Accept.Training.MultiTask;

/// <summary>
/// One synchronous aggregation round of a codebook group at one version: every member task either
/// submits its codebook gradients or reports a skipped step (or leaves); once none is pending,
/// <see cref="Close"/> applies the mean over the submitted gradients. They are summed exactly
/// (<see cref="ExactSum"/>) and rounded once, so the floats are identical wherever the round runs and however
/// the gradients arrive: in-process trainer, one push per task, or silos' partial sums (hierarchical aggregation).
/// <para>
/// Version rule: the group's version bumps exactly when its optimizer steps. A round where every task
/// skipped (or whose mean gradient is not finite) closes without a step and leaves the version as it
/// was; the next round is then again for the same version (the codebooks are unchanged, so the tasks'
/// gradients stay valid). A round in a frozen group, or with no contributor, never touches the group;
/// one whose mean is not finite counts as a skipped step of the group (its schedule advances, as
/// <see cref="CodebookGroup.Apply"/> does).
/// </para>
/// </summary>
public sealed class SyncRound : IDisposable
{
    private readonly CodebookGroup _group;
    private readonly SortedSet<string> _pending;
    private readonly Dictionary<string, ExactSum> _sums = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _skipped = new(StringComparer.Ordinal);
    private readonly List<string> _contributors = [];
    private bool _closed;

    /// <param name="members">The tasks expected in this round (the group's active tasks).</param>
    public SyncRound(CodebookGroup group, IEnumerable<string> members)
    {
        _group = group;
        BaseVersion = group.Version;
        _pending = new SortedSet<string>(members, StringComparer.Ordinal);
    }

    public string Group => _group.Name;

    /// <summary>The codebook version the gradients of this round were computed against.</summary>
    public long BaseVersion { get; }

    public IReadOnlyCollection<string> Pending => _pending;
    public bool IsComplete => _pending.Count == 0;

    /// <summary>
    /// Why <paramref name="task"/> cannot submit to this round (closed, not a member, already reported, a
    /// gradient for a frozen group), or null when it can. The gradients' names, shapes, dtypes and values are
    /// not checked here: the in-process trainer's steps report non-finite gradients as skipped, and the
    /// codebook grain checks a push's tensors once, before they reach the round (GradientPushValidator).
    /// </summary>
    public string? Check(string task, IReadOnlyDictionary<string, Tensor> gradients) => Check(task, gradients.Count > 0);

    private string? Check(string task, bool withGradients)
    {
        if (_closed) return $"round {BaseVersion} of group '{Group}' is closed";
        if (!_pending.Contains(task))
            return _contributors.Contains(task) || _skipped.Contains(task)
                ? $"task '{task}' already reported for round {BaseVersion} of group '{Group}'"
                : $"task '{task}' is not a member of round {BaseVersion} of group '{Group}'";
        if (_group.Frozen && withGradients) return $"group '{Group}' is frozen; it takes no gradients";
        return null;
    }

    /// <summary>Adds a task's gradients (read, not kept: the caller keeps and disposes its own). Throws with <see cref="Check"/>'s reason.</summary>
    public void Submit(string task, IReadOnlyDictionary<string, Tensor> gradients)
    {
        if (Check(task, gradients) is { } reason) throw new ArgumentException(reason);
        _pending.Remove(task);
        if (_group.Frozen) return;
        _contributors.Add(task);
        foreach (var (name, gradient) in gradients) SumOf(name).Add(gradient);
    }

    /// <summary>
    /// Adds the exact sum of several tasks' gradients at once (a silo's aggregator: <paramref name="sums"/> = Σ over
    /// <paramref name="tasks"/>, by codebook name); the round's mean still divides by tasks, not by submissions, and
    /// equals the mean of the same gradients submitted one by one, bit for bit. Every task must be pending.
    /// </summary>
    public void SubmitSum(IReadOnlyList<string> tasks, IReadOnlyDictionary<string, ExactSum> sums)
    {
        if (tasks.Count == 0) throw new ArgumentException("SubmitSum: no tasks given");
        foreach (var task in tasks)
            if (Check(task, sums.Count > 0) is { } reason) throw new ArgumentException(reason);
        foreach (var task in tasks) _pending.Remove(task);
        if (_group.Frozen) return;
        _contributors.AddRange(tasks);
        foreach (var (name, sum) in sums) SumOf(name).Add(sum);
    }

    private ExactSum SumOf(string name)
    {
        if (!_group.Codebooks.TryGetValue(name, out var codebook))
            throw new ArgumentException($"round {BaseVersion} of group '{Group}': no codebook '{name}'");
        if (!_sums.TryGetValue(name, out var sum)) _sums[name] = sum = new ExactSum((int)codebook.numel());
        return sum;
    }

    /// <summary>The task's step was skipped (non-finite loss or gradient): it counts as reported, with nothing to add.</summary>
    public void SubmitSkipped(string task)
    {
        if (_closed) throw new InvalidOperationException($"round {BaseVersion} of group '{Group}' is closed");
        if (!_pending.Remove(task)) throw new ArgumentException($"task '{task}' is not pending in round {BaseVersion} of group '{Group}'");
        _skipped.Add(task);
    }

    /// <summary>The task left the group (finished, cancelled or lost): the round no longer waits for it.</summary>
    public void Leave(string task) => _pending.Remove(task);

    /// <summary>Applies the mean of the submitted gradients to the group (see the class remarks for the version rule).</summary>
    public SyncRoundResult Close()
    {
        if (_closed) throw new InvalidOperationException($"round {BaseVersion} of group '{Group}' is already closed");
        if (!IsComplete) throw new InvalidOperationException($"round {BaseVersion} of group '{Group}' still waits for {string.Join(", ", _pending)}");
        if (_group.Version != BaseVersion)
            throw new InvalidOperationException($"group '{Group}' moved to version {_group.Version} while round {BaseVersion} was open");
        _closed = true;
        var contributors = _contributors.Order(StringComparer.Ordinal).ToList();
        if (_group.Frozen || contributors.Count == 0)
            return new SyncRoundResult(Group, BaseVersion, _group.Version, false, contributors, _skipped.ToList(), null);
        var mean = _sums.ToDictionary(s => s.Key, s =>
        {
            var codebook = _group.Codebooks[s.Key];
            using var value = s.Value.Mean(contributors.Count, codebook.shape);
            return value.to(codebook.dtype, codebook.device);
        });
        try
        {
            var update = _group.Apply(mean);
            return new SyncRoundResult(Group, BaseVersion, update.Version, update.Applied, contributors, _skipped.ToList(), update.GradNorm);
        }
        finally
        {
            foreach (var t in mean.Values) t.Dispose();
        }
    }

    public void Dispose() => _sums.Clear();
}
