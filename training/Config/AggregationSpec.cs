namespace Accept.Training.Config;

/// <summary>Codebook aggregation for the distributed layer; <see cref="MaxStaleness"/> only matters in async mode.</summary>
public sealed record AggregationSpec(AggregationMode Mode = AggregationMode.Sync, int MaxStaleness = 4);
