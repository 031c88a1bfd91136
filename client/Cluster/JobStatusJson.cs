using System.Text.Json;
using System.Text.Json.Serialization;
using Accept.GrainInterfaces.Jobs;

namespace Accept.Client.Cluster;

/// <summary>
/// `accept status --json`: the job as one JSON object for scripts,
/// <c>{"job", "state", "tasks": [{"name", "state", "step", "steps", "silo", "loss", "metric", "codebook_version", "error", "checkpoint_behind"}]}</c>;
/// states in lower case, numbers not yet known are null.
/// </summary>
public static class JobStatusJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Write(JobStatus status) => JsonSerializer.Serialize(new Document(
        status.JobId,
        status.State.ToString().ToLowerInvariant(),
        status.Tasks.OrderBy(t => t.TaskName, StringComparer.Ordinal).Select(t => new TaskLine(
            t.TaskName, t.State.ToString().ToLowerInvariant(), t.Step, t.TotalSteps, t.Silo, t.Loss, t.Metric, t.MetricName, t.CodebookVersion, t.Error, t.CheckpointBehind)).ToList(),
        status.Error), Options);

    private sealed record Document(string Job, string State, IReadOnlyList<TaskLine> Tasks, string? Error);

    private sealed record TaskLine(string Name, string State, long Step, long Steps, string? Silo, double? Loss, double? Metric, string? MetricName, long CodebookVersion, string? Error,
        string? CheckpointBehind);
}
