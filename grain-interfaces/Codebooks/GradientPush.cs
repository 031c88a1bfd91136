using Accept.GrainInterfaces.Tensors;

namespace Accept.GrainInterfaces.Codebooks;

/// <summary>One task's gradient with respect to the group's codebooks, computed at <see cref="BaseVersion"/>.</summary>
/// <param name="TaskId">The pushing task's name, as given to <see cref="ICodebookGrain.Join"/>.</param>
/// <param name="BaseVersion">The codebook version the gradient was computed against.</param>
/// <param name="Step">The task's own step number; with <see cref="TaskId"/> it makes a push idempotent after a retry.</param>
/// <param name="Gradients">Gradients by codebook name; same names, shapes and dtypes as the snapshot's tensors.</param>
/// <param name="Skipped">The task's step was skipped (non-finite loss or gradient): it reports for the round with no gradient (<see cref="Gradients"/> empty).</param>
/// <param name="Epoch">The pushing task activation's id, as given to <see cref="ICodebookGrain.Join"/>; a push from an epoch the group no longer knows is refused (<see cref="PushRejectCode.Superseded"/>). Empty: not checked (tools, benchmarks).</param>
[GenerateSerializer, Immutable]
[Alias("accept.GradientPush")]
public sealed record GradientPush(
    [property: Id(0)] string TaskId,
    [property: Id(1)] long BaseVersion,
    [property: Id(2)] long Step,
    [property: Id(3)] IReadOnlyDictionary<string, TensorPayload> Gradients,
    [property: Id(5)] bool Skipped = false,
    [property: Id(6)] Guid Epoch = default)
{
    /// <summary>No tensors: what a push keeps once its gradient has been summed or applied.</summary>
    public static IReadOnlyDictionary<string, TensorPayload> NoGradients { get; } = new Dictionary<string, TensorPayload>();

    /// <summary>This push without its tensors (a batch's member, a ledger's record): all that identifies it.</summary>
    public GradientPush WithoutGradients() => Gradients.Count == 0 ? this : this with { Gradients = NoGradients };
}
