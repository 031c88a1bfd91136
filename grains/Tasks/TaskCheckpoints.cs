using System.Globalization;
using Accept.GrainInterfaces.Tasks;
using Accept.Grains.Checkpoints;
using Accept.Training.Checkpointing;
using Accept.Training.Checkpointing.Store;
using Microsoft.Extensions.Logging;

namespace Accept.Grains.Tasks;

/// <summary>What a task's latest checkpoint holds for a new activation.</summary>
/// <param name="Task">The task session's bytes (<see cref="CheckpointParts.Task"/>).</param>
/// <param name="Source">The scope and object name, for error messages.</param>
/// <param name="History">The metric points up to the checkpoint, when it holds them.</param>
/// <param name="Completed">The task had completed when it was saved.</param>
public sealed record TaskRestorePoint(byte[] Task, string Source, IReadOnlyList<TaskMetricPoint>? History, bool Completed, string ObjectName);

/// <summary>
/// A task's checkpoints in the store: the latest (task session, metric history, step, codebook version and
/// state) in the task's scope, and the best one (task and the codebooks it was evaluated with) in the best-task
/// scope, as the in-process trainer keeps them. A save that a store outage fails is reported in
/// <see cref="Behind"/> (<see cref="CheckpointSave"/>) and made again at the next checkpoint.
/// </summary>
public sealed class TaskCheckpoints(ICheckpointStore store, string jobId, string task, ILogger logger)
{
    public CheckpointScope Scope { get; } = new(jobId, CheckpointOwners.Task(task));

    public CheckpointScope BestScope { get; } = new(jobId, CheckpointOwners.Best(task));

    /// <summary>Why the last checkpoint did not reach the store (an outage; the next checkpoint saves again), or null.</summary>
    public string? Behind { get; private set; }

    /// <summary>The latest checkpoint's content, or null when the task has none.</summary>
    public async Task<TaskRestorePoint?> LoadLatestAsync()
    {
        if (await store.LoadLatestAsync(Scope) is not { } checkpoint)
        {
            return null;
        }
        var source = $"{Scope} {checkpoint.Info.ObjectName}";
        var parts = checkpoint.Content.Parts;
        var history = parts.GetValueOrDefault(CheckpointParts.Metrics) is { } bytes ? MetricHistory.FromBytes(bytes, source) : null;
        return new TaskRestorePoint(parts[CheckpointParts.Task], source, history,
            checkpoint.Content.Metadata.GetValueOrDefault(CheckpointParts.State) == nameof(TaskState.Completed), checkpoint.Info.ObjectName);
    }

    /// <summary>The latest checkpoint: the session's bytes and the metric history, at <paramref name="step"/> in state <paramref name="state"/>.</summary>
    public async Task SaveAsync(byte[] session, IEnumerable<TaskMetricPoint> points, long step, long codebookVersion, TaskState state)
    {
        Behind = await CheckpointSave.TryAsync(store, Scope, new CheckpointContent(
            new Dictionary<string, byte[]> { [CheckpointParts.Task] = session, [CheckpointParts.Metrics] = MetricHistory.ToBytes(points) },
            new Dictionary<string, string>
            {
                [CheckpointParts.Step] = Invariant(step),
                [CheckpointParts.CodebookVersion] = Invariant(codebookVersion),
                [CheckpointParts.State] = state.ToString(),
            }), logger);
    }

    /// <summary>The task and the codebooks it was evaluated with, in the best-task scope.</summary>
    public Task SaveBestAsync(byte[] session, byte[] codebooks, long step, long codebookVersion) =>
        CheckpointSave.TryAsync(store, BestScope, new CheckpointContent(
            new Dictionary<string, byte[]> { [CheckpointParts.Task] = session, [CheckpointParts.Codebook] = codebooks },
            new Dictionary<string, string>
            {
                [CheckpointParts.Step] = Invariant(step),
                [CheckpointParts.CodebookVersion] = Invariant(codebookVersion),
            }), logger);

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
