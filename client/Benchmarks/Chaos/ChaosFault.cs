namespace Accept.Client.Benchmarks.Chaos;

/// <summary>The machine faults `accept bench chaos` injects (docs/reliability.md, "Machine faults").</summary>
public enum ChaosFault
{
    /// <summary>SIGKILL of a worker silo hosting tasks; it is not restarted.</summary>
    WorkerKill,

    /// <summary>SIGKILL of the coordinator silo (job and codebook grains); it is not restarted.</summary>
    CoordinatorKill,

    /// <summary>SIGSTOP of a worker silo hosting tasks for 30 s, then SIGCONT.</summary>
    WorkerStop,

    /// <summary>Redis (membership) stopped for 10 s, then started again on the same port and data folder.</summary>
    RedisRestart,

    /// <summary>The checkpoint directory renamed away for 10 s, then back.</summary>
    StoreOutage,

    /// <summary>SIGKILL of the `accept train` client, then `accept status --watch` started in its place.</summary>
    ClientKill,
}

public static class ChaosFaults
{
    public static readonly string[] Names = ["worker-kill", "coordinator-kill", "worker-stop", "redis-restart", "store-outage", "client-kill"];

    public static string Name(this ChaosFault fault) => Names[(int)fault];

    /// <exception cref="ArgumentException">The name is none of <see cref="Names"/>.</exception>
    public static ChaosFault Parse(string name)
    {
        var index = Array.IndexOf(Names, name.Trim().ToLowerInvariant());
        return index >= 0
            ? (ChaosFault)index
            : throw new ArgumentException($"--fault '{name}': expected one of {string.Join(", ", Names)}.");
    }
}
