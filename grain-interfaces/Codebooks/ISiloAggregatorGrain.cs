namespace Accept.GrainInterfaces.Codebooks;

/// <summary>
/// A silo's aggregator for one codebook group (key: the group's grain key), activated on the caller's silo:
/// it sums the pushes of the silo's tasks that arrive within a short window and sends them to the codebook
/// grain as one <see cref="GradientBatch"/>; the codebooks come back once and every task gets the same snapshot.
/// </summary>
public interface ISiloAggregatorGrain : IGrainWithStringKey
{
    /// <summary>The push's answer as the codebook grain would give it, or null: push it to the codebook grain yourself.</summary>
    Task<PushResult?> Push(GradientPush push);
}
