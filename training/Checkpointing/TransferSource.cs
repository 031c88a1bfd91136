namespace Accept.Training.Checkpointing;

/// <summary>
/// Reads what a run spec's <c>transfer</c> names: a previous run's directory (its task's best checkpoint,
/// else its latest) or one checkpoint folder.
/// </summary>
public static class TransferSource
{
    /// <summary>The source task's state (weights and moments; callers take the weights).</summary>
    public static TaskCheckpoint TaskWeights(string source, string task)
    {
        var folder = BestOrLatest(source, task);
        if (!folder.HasTask(task))
            throw new InvalidDataException($"transfer.weights_from_task: {folder.Path} has no task '{task}' (it holds {string.Join(", ", folder.TaskNames)})");
        return folder.Task(task);
    }

    /// <summary>The codebooks for <paramref name="group"/>: the source group of the same name, or the source's only group.</summary>
    public static CodebookCheckpoint Codebooks(string source, string group)
    {
        var folder = Latest(source);
        var groups = folder.GroupNames;
        var name = groups.Contains(group) ? group
            : groups.Count == 1 ? groups[0]
            : throw new InvalidDataException($"transfer.codebooks: {folder.Path} has groups {string.Join(", ", groups)}; none is named '{group}' and there is more than one");
        return folder.Group(name);
    }

    private static CheckpointFolder BestOrLatest(string source, string task) =>
        IsRun(source) && new RunCheckpoints(CheckpointsOf(source)).Best(task) is { } best ? best : Latest(source);

    private static CheckpointFolder Latest(string source)
    {
        if (!Directory.Exists(source)) throw new DirectoryNotFoundException($"transfer.source: '{source}' not found");
        if (!IsRun(source)) return CheckpointFolder.Open(source);
        return new RunCheckpoints(CheckpointsOf(source)).Latest()
            ?? throw new InvalidDataException($"transfer.source: run '{source}' has no checkpoint yet");
    }

    private static bool IsRun(string source) => Directory.Exists(CheckpointsOf(source));
    private static string CheckpointsOf(string run) => Path.Combine(run, "checkpoints");
}
