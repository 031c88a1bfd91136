using Accept.GrainInterfaces.Tasks;
using Accept.Training.Runs;

namespace Accept.GrainInterfaces.Jobs;

/// <summary>How a task of a job ended (or stands): what only the cluster knows — state, tokens, error — beside
/// its line of summary.json.</summary>
/// <param name="Summary">The task's summary.json line as its session reports it; null before the task was set up on a silo.</param>
/// <remarks>The field ids of the first four are the ones they had when this record also repeated the summary's figures
/// (ids 1–5, 8, 9 and 11, now retired), so a peer of that version still reads state, tokens and error.</remarks>
[GenerateSerializer, Immutable]
[Alias("accept.TaskResult")]
public sealed record TaskResult(
    [property: Id(0)] string TaskName,
    [property: Id(7)] TaskState State,
    [property: Id(6)] long Tokens,
    [property: Id(10)] string? Error,
    [property: Id(12)] TaskSummary? Summary);
