using System.Text.Json.Serialization;
using Accept.GrainInterfaces.Codebooks;

namespace Accept.Grains.Codebooks;

/// <summary>The non-tensor part of a codebook grain's checkpoint, as JSON beside the group's tensors.</summary>
internal sealed record CodebookGrainState(
    [property: JsonPropertyName("spec")] CodebookGroupSpec Spec,
    [property: JsonPropertyName("members")] IReadOnlyList<string> Members,
    [property: JsonPropertyName("last_steps")] IReadOnlyDictionary<string, long> LastSteps,
    [property: JsonPropertyName("applied_gradients")] long AppliedGradients,
    [property: JsonPropertyName("rounds")] long Rounds,
    [property: JsonPropertyName("closed")] bool Closed);
