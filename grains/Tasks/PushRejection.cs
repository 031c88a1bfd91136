using Accept.GrainInterfaces.Codebooks;

namespace Accept.Grains.Tasks;

/// <summary>What a task does about a rejected push.</summary>
public enum PushRejection
{
    /// <summary>Nothing: the step was already counted, or the task left its group on purpose.</summary>
    Ignore,

    /// <summary>Rejoin the group and pull its codebooks (dropped after a timeout, a restarted group, a restored task behind it).</summary>
    Rejoin,

    /// <summary>The job ended: stop as cancelled.</summary>
    Stop,

    /// <summary>A newer activation of this task joined (this one's silo was declared dead): stop here without applying anything.</summary>
    Retire,

    /// <summary>A malformed push: a bug, the task fails with the group's reason.</summary>
    Fail,
}

public static class PushRejections
{
    /// <param name="running">False when the task was paused or cancelled while the push was in flight.</param>
    public static PushRejection Decide(PushRejectCode code, bool running) => code switch
    {
        PushRejectCode.Closed => PushRejection.Stop,
        PushRejectCode.Superseded => PushRejection.Retire,
        PushRejectCode.Duplicate => PushRejection.Ignore,
        PushRejectCode.UnknownTask or PushRejectCode.TooStale or PushRejectCode.FutureVersion => running ? PushRejection.Rejoin : PushRejection.Ignore,
        _ => PushRejection.Fail,
    };
}
