using Accept.GrainInterfaces.Tensors;

namespace Accept.GrainInterfaces.Codebooks;

/// <summary>
/// Several tasks' gradients for one base version, summed on their silo (hierarchical aggregation): the group
/// applies <see cref="Sum"/> as if each member had pushed its own, so the mean still divides by tasks.
/// </summary>
/// <param name="Members">One push per task without tensors (<see cref="GradientPush.Gradients"/> empty): task, step, epoch, skipped; the group checks each as it checks a push.</param>
/// <param name="BaseVersion">Every member's base version (a sync group's batch); an async group's batch may mix versions, and this is the oldest.</param>
/// <param name="Parts">By codebook name, what Sum's doubles leave out (usually none).</param>
/// <param name="Sum">The exact Σ of the non-skipped members' float32 gradients as float64 (same shapes), by codebook name; empty when every member skipped. Exact, so the group's mean is the same whatever the batches' composition.</param>
[GenerateSerializer, Immutable]
[Alias("accept.GradientBatch")]
public sealed record GradientBatch(
    [property: Id(0)] IReadOnlyList<GradientPush> Members,
    [property: Id(1)] long BaseVersion,
    [property: Id(2)] IReadOnlyDictionary<string, TensorPayload> Sum,
    [property: Id(3)] IReadOnlyDictionary<string, SumParts>? Parts = null);

/// <summary>
/// The rare elements of a <see cref="GradientBatch.Sum"/> that one double cannot hold exactly (values of one element
/// more than ~2^29 apart): element <c>Indices[k]</c>'s exact sum is its Sum value plus every <c>Values[k]</c> given for it.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("accept.SumParts")]
public sealed record SumParts(
    [property: Id(0)] int[] Indices,
    [property: Id(1)] double[] Values);

/// <summary>The answer to a <see cref="GradientBatch"/>: one result per member (without tensors) and the codebooks once.</summary>
/// <param name="Results">In the batch's member order; null: the group took none of the batch (a member is not in the round, was retried alone or is refused), push each member on its own.</param>
/// <param name="Snapshot">What every accepted member's own push would have carried (shared by all of them).</param>
/// <param name="MixedVersions">The group is async: a batch may hold members of different base versions (each member's
/// staleness is checked on its own; the batch's <see cref="GradientBatch.BaseVersion"/> is the oldest).</param>
[GenerateSerializer, Immutable]
[Alias("accept.BatchPushResult")]
public sealed record BatchPushResult(
    [property: Id(0)] IReadOnlyList<PushResult>? Results,
    [property: Id(1)] CodebookSnapshot? Snapshot,
    [property: Id(2)] bool MixedVersions = false)
{
    public static readonly BatchPushResult Unbatched = new(null, null);
}
