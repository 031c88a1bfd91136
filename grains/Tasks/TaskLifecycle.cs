using Accept.GrainInterfaces.Jobs;
using Accept.GrainInterfaces.Tasks;
using Accept.Training.MultiTask;

namespace Accept.Grains.Tasks;

/// <summary>
/// A task activation's state machine and its report lines. → Running on the activation's first Start; Running ⇄
/// Paused (a resumed task rejoins its group before the next step); Running, Paused or Created → Cancelled;
/// Running → Completed or Failed. A task that ended keeps its <see cref="Final"/> result, taken when it ended,
/// for the lines its session no longer answers. Plain: the task grain drives it and does the group calls.
/// </summary>
public sealed class TaskLifecycle(string task)
{
    private bool _rejoin;

    public TaskState State { get; private set; } = TaskState.Created;

    public string? Error { get; private set; }

    /// <summary>The result taken when the task ended, or null while it has not.</summary>
    public TaskResult? Final { get; private set; }

    public bool Running => State == TaskState.Running;

    /// <summary>→ Running: the first Start of this activation (the caller starts the loop).</summary>
    public void Start() => State = TaskState.Running;

    /// <summary>Running → Paused; true when it paused (the caller leaves the group, so a paused task never holds up a sync round).</summary>
    public bool Pause()
    {
        if (State != TaskState.Running)
        {
            return false;
        }
        State = TaskState.Paused;
        _rejoin = true;
        return true;
    }

    /// <summary>Paused → Running; the group is rejoined before the next step (<see cref="TakeRejoin"/>).</summary>
    public void Resume()
    {
        if (State == TaskState.Paused)
        {
            State = TaskState.Running;
        }
    }

    /// <summary>Running, Paused or Created → Cancelled; true when it cancelled (the caller then <see cref="Seal"/>s the result).</summary>
    public bool Cancel()
    {
        if (State is not (TaskState.Running or TaskState.Paused or TaskState.Created))
        {
            return false;
        }
        State = TaskState.Cancelled;
        return true;
    }

    /// <summary>True once after a pause: the task rejoins its group (pulling the current codebooks) before its next step.</summary>
    public bool TakeRejoin()
    {
        var due = _rejoin;
        _rejoin = false;
        return due;
    }

    /// <summary>Ends the task in <paramref name="state"/> (Completed, Cancelled or Failed) and takes its final result.</summary>
    public void End(TaskState state, TaskSession? session, string? error = null)
    {
        State = state;
        Error = error ?? Error;
        Seal(session);
    }

    /// <summary>Takes the final result from the session as it is now.</summary>
    public void Seal(TaskSession? session) => Final = Current(session);

    /// <summary>The final result once ended, otherwise the session's result as it is now.</summary>
    public TaskResult Result(TaskSession? session) => Final ?? Current(session);

    public TrainingTaskStatus Status(TaskSession? session, double stepsPerSecond, long codebookVersion, string silo, string? checkpointBehind) =>
        TaskReports.Status(task, State, session, Final, stepsPerSecond, codebookVersion, silo, Error, checkpointBehind);

    private TaskResult Current(TaskSession? session) => TaskReports.Result(task, State, session, Error);
}
