using Accept.GrainInterfaces.Tensors;

namespace Accept.GrainInterfaces.Codebooks;

/// <summary>
/// Several tasks' gradients for one base version, summed on their silo (hierarchical aggregation): the group
/// applies <see cref="Sum"/> as if each member had pushed its own, so the mean still divides by tasks.
/// </summary>
/// <param name="Members">One push per task without tensors (<see cref="GradientPush.Gradients"/> empty): task, step, epoch, skipped; the group checks each as it checks a push.</param>
/// <param name="BaseVersion">Every member's base version.</param>
/// <param name="Sum">Σ of the non-skipped members' gradients, by codebook name; empty when every member skipped.</param>
[GenerateSerializer, Immutable]
[Alias("accept.GradientBatch")]
public sealed record GradientBatch(
    [property: Id(0)] IReadOnlyList<GradientPush> Members,
    [property: Id(1)] long BaseVersion,
    [property: Id(2)] IReadOnlyDictionary<string, TensorPayload> Sum);

/// <summary>The answer to a <see cref="GradientBatch"/>: one result per member (without tensors) and the codebooks once.</summary>
/// <param name="Results">In the batch's member order; null: the group took none of the batch (a member is not in the round, was retried alone or is refused), push each member on its own.</param>
/// <param name="Snapshot">What every accepted member's own push would have carried (shared by all of them).</param>
[GenerateSerializer, Immutable]
[Alias("accept.BatchPushResult")]
public sealed record BatchPushResult(
    [property: Id(0)] IReadOnlyList<PushResult>? Results,
    [property: Id(1)] CodebookSnapshot? Snapshot)
{
    public static readonly BatchPushResult Unbatched = new(null, null);
}
