namespace Accept.Training.MultiTask;

/// <summary>
/// How a sync round closed: the version the tasks computed against, the version after it, whether the
/// optimizer stepped, who contributed (ordinal order, the order of the sum) and who skipped.
/// </summary>
public sealed record SyncRoundResult(
    string Group,
    long BaseVersion,
    long Version,
    bool Applied,
    IReadOnlyList<string> Contributors,
    IReadOnlyList<string> Skipped,
    double? GradNorm);
