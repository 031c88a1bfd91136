namespace Accept.Training.Checkpointing;

/// <summary>
/// Reads what a run spec's <c>transfer</c> names: a previous run's directory, whichever mode wrote it,
/// through <see cref="RunCheckpointReader"/>.
/// </summary>
public static class TransferSource
{
    /// <summary>The source task's state at its best evaluation, else its last checkpoint (weights and moments; callers take the weights).</summary>
    public static TaskCheckpoint TaskWeights(string source, string task)
    {
        var run = Open(source);
        if (!run.TaskNames.Contains(task))
            throw new InvalidDataException($"transfer.weights_from_task: run '{source}' has no task '{task}' (it holds {string.Join(", ", run.TaskNames)})");
        var trained = run.LoadTask(task, CheckpointChoice.Best);
        trained.Codebooks.Dispose();
        return trained.State;
    }

    /// <summary>The codebooks for <paramref name="group"/>: the source group of the same name, or the source's only group, at its newest checkpoint.</summary>
    public static CodebookCheckpoint Codebooks(string source, string group)
    {
        var run = Open(source);
        var groups = run.Spec.CodebookGroups.Keys.ToList();
        var name = groups.Contains(group) ? group
            : groups.Count == 1 ? groups[0]
            : throw new InvalidDataException($"transfer.codebooks: run '{source}' has groups {string.Join(", ", groups)}; none is named '{group}' and there is more than one");
        return run.LoadGroup(name);
    }

    private static RunCheckpointReader Open(string source)
    {
        if (!Directory.Exists(source)) throw new DirectoryNotFoundException($"transfer.source: '{source}' not found");
        return RunCheckpointReader.Open(source);
    }
}
