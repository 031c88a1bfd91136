namespace Accept.GrainInterfaces.Tasks;

/// <summary>What a task grain needs to start (or to resume after reactivation): which task of which job.
/// The task itself (data, metric, lengths) is <c>Accept.Training.Config.TaskSpec</c>, read from <paramref name="RunSpecJson"/>.</summary>
/// <param name="JobId">The owning job.</param>
/// <param name="TaskName">The task's name in the run spec.</param>
/// <param name="CodebookGroup">The group whose codebook grain this task pushes to.</param>
/// <param name="RunSpecJson">The whole run spec; the training engine reads the task, method and optimisation keys from it.</param>
/// <param name="CheckpointEvery">Steps between checkpoints; 0 disables them.</param>
[GenerateSerializer, Immutable]
[Alias("accept.TaskSpec")] // the wire and stored-state name stays, so persisted task grains still read
public sealed record TaskAssignment(
    [property: Id(0)] string JobId,
    [property: Id(1)] string TaskName,
    [property: Id(2)] string CodebookGroup,
    [property: Id(3)] string RunSpecJson,
    [property: Id(4)] int CheckpointEvery);
