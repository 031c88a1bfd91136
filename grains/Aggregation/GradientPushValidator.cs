using Accept.GrainInterfaces.Codebooks;
using Accept.Grains.Tensors;
using Accept.Training.Config;

namespace Accept.Grains.Aggregation;

/// <summary>
/// Every rule that rejects a push, in one place, checked before anything changes (the only check of a
/// push's tensors: <see cref="Training.MultiTask.SyncRound"/> trusts what reaches it). Async staleness rule:
/// a gradient more than MaxStaleness versions old is rejected (not down-weighted), so every applied
/// gradient had a bounded delay. In sync mode only the current version is accepted.
/// </summary>
public static class GradientPushValidator
{
    /// <summary>Null when the push may be applied; otherwise the rejection to return, carrying the current version.</summary>
    public static PushResult? Check(GradientPush push, CodebookGroupView group)
    {
        PushResult Reject(PushRejectCode code, string reason) => new(false, group.Version, code, reason);

        if (group.Closed)
        {
            return Reject(PushRejectCode.Closed, $"Codebook group is closed: the job has ended; push from '{push.TaskId}' ignored.");
        }
        if (!group.Members.Contains(push.TaskId))
        {
            return Reject(PushRejectCode.UnknownTask, $"Task '{push.TaskId}' is not a member of the group; call Join first.");
        }
        if (push.BaseVersion > group.Version)
        {
            return Reject(PushRejectCode.FutureVersion, $"Base version {push.BaseVersion} from '{push.TaskId}' is ahead of the group's version {group.Version}.");
        }
        var staleness = group.Version - push.BaseVersion;
        if (group.Mode == AggregationMode.Sync && staleness > 0)
        {
            return Reject(PushRejectCode.TooStale, $"Sync round is at version {group.Version}; '{push.TaskId}' pushed for {push.BaseVersion}. Pull the new snapshot.");
        }
        if (group.Mode == AggregationMode.Async && staleness > group.MaxStaleness)
        {
            return Reject(PushRejectCode.TooStale, $"Base version {push.BaseVersion} from '{push.TaskId}' is {staleness} versions old; at most {group.MaxStaleness} are accepted.");
        }
        if (group.Mode == AggregationMode.Sync && group.PushedThisRound.Contains(push.TaskId))
        {
            return Reject(PushRejectCode.Duplicate, $"Task '{push.TaskId}' already pushed for version {group.Version}.");
        }
        if (push.Skipped)
        {
            return push.Gradients.Count == 0
                ? null
                : Reject(PushRejectCode.UnknownTensor, $"Push from '{push.TaskId}' is marked skipped but carries {push.Gradients.Count} gradient(s).");
        }
        return CheckTensors(push, group, null, Reject);
    }

    /// <summary>A silo's exact sum (<see cref="GradientBatch.Sum"/>, carried as a push): every codebook's name and shape, float64, finite.</summary>
    public static PushResult? CheckSum(GradientPush sum, CodebookGroupView group) =>
        CheckTensors(sum, group, "float64", (code, reason) => new(false, group.Version, code, reason));

    private static PushResult? CheckTensors(GradientPush push, CodebookGroupView group, string? dtype, Func<PushRejectCode, string, PushResult> reject)
    {
        var unknown = push.Gradients.Keys.FirstOrDefault(n => !group.Codebooks.ContainsKey(n));
        if (unknown is not null)
        {
            return reject(PushRejectCode.UnknownTensor, $"Gradient '{unknown}' names no codebook of the group; expected {string.Join(", ", group.Codebooks.Keys)}.");
        }
        foreach (var (name, codebook) in group.Codebooks)
        {
            if (!push.Gradients.TryGetValue(name, out var gradient))
            {
                return reject(PushRejectCode.UnknownTensor, $"Push from '{push.TaskId}' lacks the gradient of codebook '{name}'.");
            }
            if (gradient.DType != (dtype ?? codebook.DType))
            {
                return reject(PushRejectCode.WrongDType, $"Gradient '{name}' has dtype {gradient.DType}; expected {dtype ?? codebook.DType} (the codebook is {codebook.DType}).");
            }
            if (!gradient.Shape.SequenceEqual(codebook.Shape))
            {
                return reject(PushRejectCode.WrongShape, $"Gradient '{name}' has shape [{string.Join(", ", gradient.Shape)}]; the codebook is [{string.Join(", ", codebook.Shape)}].");
            }
            try
            {
                TensorPayloadConverter.Validate(gradient, name);
            }
            catch (ArgumentException e)
            {
                return reject(PushRejectCode.WrongShape, e.Message);
            }
            if (!TensorPayloadConverter.AllFinite(gradient))
            {
                return reject(PushRejectCode.NonFinite, $"Gradient '{name}' from '{push.TaskId}' contains NaN or infinity.");
            }
        }
        return null;
    }
}
