using System.Runtime.InteropServices;
using Accept.GrainInterfaces.Codebooks;
using Accept.GrainInterfaces.Tensors;
using Accept.Grains.Tensors;
using Accept.Training.MultiTask;

namespace Accept.Grains.Aggregation;

/// <summary>
/// The pushes a silo's aggregator collects within one window (one base version; an async group's, any), and their
/// answers. Plain and not thread-safe (<see cref="SiloAggregator"/> calls <see cref="Add"/> under its lock while the
/// window is open, then <see cref="ToBatch"/> once it has closed, and <see cref="Answer"/> with the group's reply). Float32 gradients are summed exactly
/// (<see cref="ExactSum"/>), so the group's mean does not depend on which pushes fell into which window; the sum
/// travels as float64 (plus, for the rare element whose values lie more than ~2^29 apart, further parts), so
/// the group adds it without loss. A push that cannot join a sum (another dtype
/// or shape, non-finite values) is answered null at once, so its task pushes alone and gets the group's own rejection.
/// </summary>
/// <param name="baseVersion">The members' base version; with <paramref name="mixedVersions"/> (an async group), any version, and the batch's is the oldest member's.</param>
public sealed class GradientBatcher(long baseVersion, bool mixedVersions = false)
{
    private readonly SortedDictionary<string, (GradientPush Push, TaskCompletionSource<PushResult?> Answer)> _members = new(StringComparer.Ordinal);
    private Dictionary<string, long[]>? _shapes; // the first summable push's tensor shapes, which every other member must have

    public long BaseVersion { get; private set; } = baseVersion;

    public int Count => _members.Count;

    public Task<PushResult?> Add(GradientPush push)
    {
        if ((!mixedVersions && push.BaseVersion != BaseVersion) || _members.ContainsKey(push.TaskId) || (!push.Skipped && !Summable(push)))
        {
            return Task.FromResult<PushResult?>(null);
        }
        if (mixedVersions)
        {
            BaseVersion = _members.Count == 0 ? push.BaseVersion : Math.Min(BaseVersion, push.BaseVersion);
        }
        var answer = new TaskCompletionSource<PushResult?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _members[push.TaskId] = (push, answer);
        return answer.Task;
    }

    /// <summary>The members (tensors left out) and the exact sum of their gradients as float64 (<see cref="ExactSum.Split"/>).</summary>
    public GradientBatch ToBatch()
    {
        var members = new List<GradientPush>(_members.Count);
        Dictionary<string, ExactSum>? sums = null;
        foreach (var (push, _) in _members.Values)
        {
            members.Add(push.WithoutGradients());
            if (push.Skipped)
            {
                continue;
            }
            sums ??= push.Gradients.ToDictionary(g => g.Key, g => new ExactSum(g.Value.Data.Length / sizeof(float)));
            foreach (var (name, gradient) in push.Gradients)
            {
                sums[name].Add(MemoryMarshal.Cast<byte, float>(gradient.Data));
            }
        }
        if (sums is null)
        {
            return new GradientBatch(members, BaseVersion, GradientPush.NoGradients);
        }
        var sum = new Dictionary<string, TensorPayload>();
        Dictionary<string, SumParts>? parts = null;
        foreach (var (name, exact) in sums)
        {
            var (heads, indices, values) = exact.Split();
            sum[name] = new TensorPayload("float64", _shapes![name], MemoryMarshal.AsBytes(heads.AsSpan()).ToArray());
            if (indices.Length > 0)
            {
                (parts ??= [])[name] = new SumParts(indices, values);
            }
        }
        return new GradientBatch(members, BaseVersion, sum, parts);
    }

    /// <summary>Hands each member its result with the one shared snapshot; null results (unbatched) send every member alone.</summary>
    public void Answer(BatchPushResult reply)
    {
        var i = 0;
        foreach (var (_, answer) in _members.Values)
        {
            var result = reply.Results?[i++];
            answer.TrySetResult(result is null ? null : result.Accepted || result.Code == PushRejectCode.Duplicate ? result with { Snapshot = reply.Snapshot } : result);
        }
    }

    public void Fail() => Answer(BatchPushResult.Unbatched);

    private bool Summable(GradientPush push)
    {
        if (push.Gradients.Count == 0 || push.Gradients.Values.Any(g => g.DType != "float32" || !TensorPayloadConverter.AllFinite(g)))
        {
            return false;
        }
        if (_shapes is null)
        {
            _shapes = push.Gradients.ToDictionary(g => g.Key, g => g.Value.Shape);
            return push.Gradients.Values.All(g => g.Data.Length == g.Shape.Aggregate(1L, (a, b) => a * b) * sizeof(float));
        }
        return push.Gradients.Count == _shapes.Count
            && push.Gradients.All(g => _shapes.TryGetValue(g.Key, out var known) && known.SequenceEqual(g.Value.Shape) && g.Value.Data.Length == known.Aggregate(1L, (a, b) => a * b) * sizeof(float));
    }
}
