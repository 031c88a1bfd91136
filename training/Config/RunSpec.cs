namespace Accept.Training.Config;

/// <summary>
/// A whole run, as read from the JSON run spec (docs/run-spec.md) and adjusted by command-line
/// overrides. <see cref="CodebookGroups"/> is resolved: every task is in exactly one group.
/// </summary>
public sealed record RunSpec(
    string? Backbone,
    IReadOnlyList<TaskSpec> Tasks,
    MethodSpec Method,
    OptimizationSpec Optimization,
    IReadOnlyDictionary<string, IReadOnlyList<string>> CodebookGroups,
    AggregationSpec Aggregation,
    int CheckpointEvery,
    TransferSpec? Transfer)
{
    public const string DefaultGroup = "shared";

    /// <summary>No tasks, every default: what `accept params` uses without a spec.</summary>
    public static RunSpec Empty { get; } = new(null, [], MethodSpec.Default, OptimizationSpec.Default,
        new Dictionary<string, IReadOnlyList<string>>(), new AggregationSpec(), 1000, null);
}
