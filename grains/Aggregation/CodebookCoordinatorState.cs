namespace Accept.Grains.Aggregation;

/// <summary>What a codebook group's protocol keeps across a restart (its tensors travel in the group's own checkpoint).</summary>
/// <param name="LastSteps">Per member task, the last step whose gradient was taken; a push at or below it is a duplicate.</param>
public sealed record CodebookCoordinatorState(
    IReadOnlyList<string> Members,
    IReadOnlyDictionary<string, long> LastSteps,
    long AppliedGradients,
    long Rounds,
    bool Closed)
{
    /// <summary>A new group: every task of the spec is a member from the first round on.</summary>
    public static CodebookCoordinatorState New(IEnumerable<string> members) => new([.. members], new Dictionary<string, long>(), 0, 0, false);
}
