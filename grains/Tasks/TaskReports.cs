using Accept.GrainInterfaces.Jobs;
using Accept.GrainInterfaces.Tasks;
using Accept.Training.MultiTask;

namespace Accept.Grains.Tasks;

/// <summary>A task's status line and result line from its session (null before it is set up on this silo).</summary>
public static class TaskReports
{
    /// <param name="final">The task's result once it ended, for the lines a session no longer answers.</param>
    public static TrainingTaskStatus Status(string task, TaskState state, TaskSession? session, TaskResult? final, double stepsPerSecond,
        long codebookVersion, string silo, string? error, string? checkpointBehind = null) => new(
        task,
        state,
        session?.StepCount ?? final?.Summary?.Steps ?? 0,
        session?.TotalSteps ?? 0,
        session?.LastLoss ?? final?.Summary?.FinalLoss,
        session?.LastMetric,
        session is null ? null : MetricNames.Of(session.Metric),
        state == TaskState.Running ? stepsPerSecond : 0,
        codebookVersion,
        silo,
        error,
        checkpointBehind);

    /// <summary>The task's line of summary.json as the session reports it (<see cref="TaskSession.Summarise"/>), with what
    /// only the cluster knows: state, tokens and error.</summary>
    public static TaskResult Result(string task, TaskState state, TaskSession? session, string? error) =>
        new(task, state, session?.Tokens ?? 0, error, session?.Summarise());
}
