using Accept.GrainInterfaces.Codebooks;
using Accept.GrainInterfaces.Tensors;
using Accept.Training.Config;

namespace Accept.Grains.Aggregation;

/// <summary>What a codebook grain knows when a push arrives: enough to accept or reject it without touching tensors' values.</summary>
/// <param name="Version">The group's current version.</param>
/// <param name="Codebooks">The group's codebooks (only dtype and shape are read).</param>
/// <param name="Members">Tasks that joined and have not left.</param>
/// <param name="PushedThisRound">Sync mode: members whose gradient for <paramref name="Version"/> is already held.</param>
public sealed record CodebookGroupView(
    long Version,
    AggregationMode Mode,
    int MaxStaleness,
    bool Closed,
    IReadOnlyDictionary<string, TensorPayload> Codebooks,
    IReadOnlySet<string> Members,
    IReadOnlySet<string> PushedThisRound);
