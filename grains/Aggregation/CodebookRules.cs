using Accept.Training.Config;

namespace Accept.Grains.Aggregation;

/// <summary>How one codebook group aggregates, read from the run spec (the one place these keys live).</summary>
/// <param name="MaxStaleness">Async mode: the oldest base version accepted is current − MaxStaleness.</param>
/// <param name="CheckpointEvery">Rounds (async: applied gradients) between checkpoints; 0 disables them.</param>
/// <param name="RoundDeadline">Sync mode: a round closes this long after it opened with the gradients it has (stragglers' come into the next round); null waits for every member.</param>
public sealed record CodebookRules(AggregationMode Mode, int MaxStaleness, int CheckpointEvery, TimeSpan? RoundDeadline = null)
{
    public static CodebookRules From(RunSpec spec) => new(
        spec.Aggregation.Mode,
        spec.Aggregation.MaxStaleness,
        spec.CheckpointEvery);
}
