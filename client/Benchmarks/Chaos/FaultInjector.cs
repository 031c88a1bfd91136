using System.Text.RegularExpressions;

namespace Accept.Client.Benchmarks.Chaos;

/// <summary>Injects one <see cref="ChaosFault"/> into a running cluster and undoes it where the fault is temporary.</summary>
internal sealed partial class FaultInjector(ChaosCluster cluster, Random random, Action<string> progress)
{
    public static readonly TimeSpan StopDuration = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan OutageDuration = TimeSpan.FromSeconds(10);

    /// <summary>The silo the fault was injected into (killed or stopped); null for faults of Redis, the store or the client.</summary>
    public ChaosProcess? Silo { get; private set; }

    /// <summary>
    /// Injects <paramref name="fault"/>; returns when it is over (a kill at once, a stop or outage after its
    /// duration), with the client process to wait for afterwards (a new one for <see cref="ChaosFault.ClientKill"/>).
    /// </summary>
    public async Task<ChaosProcess> InjectAsync(ChaosFault fault, ChaosProcess client, Func<ChaosProcess> restartClient, CancellationToken cancel)
    {
        switch (fault)
        {
            case ChaosFault.WorkerKill:
                var killed = WorkerHostingTasks();
                progress($"SIGKILL {killed.Name} (pid {killed.Id})");
                Silo = killed;
                killed.Kill();
                return client;
            case ChaosFault.CoordinatorKill:
                progress($"SIGKILL coordinator (pid {cluster.Coordinator.Id})");
                Silo = cluster.Coordinator;
                cluster.Coordinator.Kill();
                return client;
            case ChaosFault.WorkerStop:
                var stopped = WorkerHostingTasks();
                progress($"SIGSTOP {stopped.Name} (pid {stopped.Id}) for {StopDuration.TotalSeconds:F0} s");
                Silo = stopped;
                stopped.Stop();
                await Task.Delay(StopDuration, cancel);
                stopped.Continue();
                progress($"SIGCONT {stopped.Name}");
                return client;
            case ChaosFault.RedisRestart:
                progress($"stopping redis for {OutageDuration.TotalSeconds:F0} s");
                await cluster.StopRedisAsync(cancel);
                await Task.Delay(OutageDuration, cancel);
                await cluster.StartRedisAsync(cancel);
                progress("redis started again");
                return client;
            case ChaosFault.StoreOutage:
                var offline = cluster.CheckpointRoot + ".offline";
                progress($"checkpoint directory unavailable for {OutageDuration.TotalSeconds:F0} s");
                // Renamed away with a file in its place: every read and write under the root fails (as root, chmod would not).
                Directory.Move(cluster.CheckpointRoot, offline);
                await File.WriteAllTextAsync(cluster.CheckpointRoot, "checkpoint store outage injected by accept bench chaos\n", cancel);
                await Task.Delay(OutageDuration, cancel);
                File.Delete(cluster.CheckpointRoot);
                Directory.Move(offline, cluster.CheckpointRoot);
                progress("checkpoint directory back");
                return client;
            case ChaosFault.ClientKill:
                progress($"SIGKILL client (pid {client.Id}); `accept status --watch` in its place");
                client.Kill();
                await client.WaitForExitAsync(TimeSpan.FromSeconds(10), cancel);
                return restartClient();
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, null);
        }
    }

    /// <summary>A worker that logged a task starting or restoring on it (a random one of those), else any worker still running.</summary>
    private ChaosProcess WorkerHostingTasks()
    {
        var alive = cluster.Workers.Where(w => !w.HasExited).ToList();
        var hosting = alive.Where(w => w.Lines.Any(l => TaskPlaced().IsMatch(l.Text))).ToList();
        var choices = hosting.Count > 0 ? hosting : alive;
        return choices.Count > 0 ? choices[random.Next(choices.Count)] : throw new InvalidOperationException("no worker silo is running");
    }

    [GeneratedRegex(@"Task \S+ (started on|restored at step)")]
    private static partial Regex TaskPlaced();
}
