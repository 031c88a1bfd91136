namespace Accept.GrainInterfaces.Tasks;

/// <summary>What a task grain needs to start (or to resume after reactivation).</summary>
/// <param name="JobId">The owning job.</param>
/// <param name="TaskName">The task's name in the run spec.</param>
/// <param name="CodebookGroup">The group whose codebook grain this task pushes to.</param>
/// <param name="RunSpecJson">The whole run spec; the training engine reads the task, method and optimisation keys from it.</param>
/// <param name="CheckpointEvery">Steps between checkpoints; 0 disables them.</param>
[GenerateSerializer, Immutable]
[Alias("accept.TaskSpec")]
public sealed record TaskSpec(
    [property: Id(0)] string JobId,
    [property: Id(1)] string TaskName,
    [property: Id(2)] string CodebookGroup,
    [property: Id(3)] string RunSpecJson,
    [property: Id(4)] int CheckpointEvery);
