namespace Accept.Training.Config;

/// <summary>How a codebook group combines its tasks' gradients (used by the distributed layer).</summary>
public enum AggregationMode
{
    /// <summary>A round closes when every active task has pushed for the current version.</summary>
    Sync,
    /// <summary>Gradients apply on arrival unless more than max_staleness versions old.</summary>
    Async,
}
