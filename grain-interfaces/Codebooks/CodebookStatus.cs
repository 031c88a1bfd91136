namespace Accept.GrainInterfaces.Codebooks;

/// <summary>A codebook group's state for status displays.</summary>
[GenerateSerializer, Immutable]
[Alias("accept.CodebookStatus")]
public sealed record CodebookStatus(
    [property: Id(0)] string Group,
    [property: Id(1)] long Version,
    [property: Id(2)] AggregationMode Mode,
    [property: Id(3)] IReadOnlyList<string> Members,
    [property: Id(4)] int PendingPushes,
    [property: Id(5)] long AcceptedPushes,
    [property: Id(6)] long RejectedPushes,
    [property: Id(7)] bool Closed);
