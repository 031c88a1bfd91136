namespace Accept.GrainInterfaces.Codebooks;

/// <summary>The answer to a push. A rejected push changed nothing in the group.</summary>
/// <param name="Accepted">True when the gradient was taken into the group's update.</param>
/// <param name="Version">The group's version after the push (after the round closed, in sync mode).</param>
/// <param name="Code">Why it was rejected; <see cref="PushRejectCode.None"/> when accepted.</param>
/// <param name="RejectReason">A human-readable reason naming the tensor, value or version at fault.</param>
/// <param name="Snapshot">
/// The codebooks the push left the group at (tensors null when they are still the push's base version), so
/// the task need not ask again; null on rejections other than a duplicate, where the task pulls or rejoins.
/// </param>
/// <param name="Pending">
/// Sync mode: the push was taken into the open round, which has not closed within the codebook grain's wait
/// (shorter than a call's timeout, so no caller blocks behind a long round); push the same gradient again
/// (same task, step and epoch) to wait on: it is not counted twice.
/// </param>
[GenerateSerializer, Immutable]
[Alias("accept.PushResult")]
public sealed record PushResult(
    [property: Id(0)] bool Accepted,
    [property: Id(1)] long Version,
    [property: Id(2)] PushRejectCode Code,
    [property: Id(3)] string? RejectReason,
    [property: Id(4)] CodebookSnapshot? Snapshot = null,
    [property: Id(5)] bool Pending = false);
