namespace Accept.GrainInterfaces.Codebooks;

[GenerateSerializer]
[Alias("accept.AggregationMode")]
public enum AggregationMode
{
    /// <summary>A round closes when every active member has pushed for the current version.</summary>
    Sync = 0,

    /// <summary>Each gradient applies on arrival unless it is more than MaxStaleness versions old.</summary>
    Async = 1,
}
