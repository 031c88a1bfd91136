using Accept.GrainInterfaces.Tensors;

namespace Accept.GrainInterfaces.Codebooks;

/// <summary>The codebook group at <see cref="Version"/>.</summary>
/// <param name="Version">Bumped once per optimizer step of the group (per closed round in sync mode).</param>
/// <param name="Tensors">Codebooks by name (e.g. "scpp", "scap"); null when the caller already holds <see cref="Version"/>.</param>
[GenerateSerializer, Immutable]
[Alias("accept.CodebookSnapshot")]
public sealed record CodebookSnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] IReadOnlyDictionary<string, TensorPayload>? Tensors);
