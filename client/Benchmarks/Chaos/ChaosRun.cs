using System.Text.RegularExpressions;
using Accept.Client.Cluster;
using Accept.GrainInterfaces;
using Accept.GrainInterfaces.Jobs;
using Accept.Grains.Hosting;

namespace Accept.Client.Benchmarks.Chaos;

/// <summary>
/// One run: a fresh cluster, `accept train --redis` as a child process, the fault at a random step (none
/// for the uninterrupted baseline), then the job's results and the figures.
/// </summary>
internal sealed partial class ChaosRun(ChaosOptions options, string spec, long steps, Action<string> progress)
{
    private readonly ChaosPorts _ports = new(options.FirstPort);

    public async Task<(RunFigures Figures, JobResults? Results)> RunAsync(int index, ChaosFault? fault, IReadOnlyDictionary<string, double>? baseline, CancellationToken cancel)
    {
        var random = new Random(options.Seed * 1009 + index);
        var work = Path.Combine(options.WorkDirectory, fault is null ? "baseline" : $"{fault.Value.Name()}-{index}");
        Directory.CreateDirectory(work);
        await using var cluster = await ChaosCluster.StartAsync(work, _ports, progress, cancel);
        var client = AcceptChild.Start("client", ["train", "--spec", spec, "--runs-dir", Path.Combine(work, "runs"), "--redis", cluster.Redis, "--cluster-id", cluster.ClusterId],
            work, work);
        var clients = new List<ChaosProcess> { client };
        try
        {
            var jobId = await JobIdAsync(client, cancel);
            // The fault lands between 20 % and 60 % of the run, past the first checkpoint.
            var faultStep = (long)random.Next((int)Math.Max(2, steps / 5), (int)Math.Max(3, steps * 3 / 5));
            var faultTime = DateTime.MaxValue;
            string? stoppedSilo = null;
            if (fault is { } f)
            {
                if (!await WaitForStepAsync(cluster, client, faultStep, cancel))
                {
                    return (Failed(index, faultStep, $"the client exited before step {faultStep}:\n{client.Tail()}"), null);
                }
                faultTime = DateTime.UtcNow;
                progress($"run {index}: {f.Name()} at step {faultStep}");
                var injector = new FaultInjector(cluster, random, progress);
                client = await injector.InjectAsync(f, client, () =>
                {
                    var watcher = AcceptChild.Start("client-watch", ["status", "--redis", cluster.Redis, "--cluster-id", cluster.ClusterId, "--job", jobId, "--watch"], work, work);
                    clients.Add(watcher);
                    return watcher;
                }, cancel);
                stoppedSilo = f == ChaosFault.WorkerStop ? injector.Silo?.Name : null;
            }
            var exited = await client.WaitForExitAsync(options.RunTimeout, cancel);
            var results = await ResultsAsync(cluster, jobId, cancel);
            var logs = cluster.AllProcesses.Concat(clients).SelectMany(p => p.Lines).ToList();
            WriteLogs(work, cluster, clients);
            var journal = PushJournal.Read(logs);
            var membership = PushJournal.ReadMembership(logs);
            var (redone, doubleApplied, monotonic, recovery) = RunFigures.FromJournal(PushJournal.FromLiveSilos(journal, membership), faultTime, steps);
            var finished = results is { State: JobState.Completed } r && r.Tasks.All(t => t.Summary?.Steps == steps);
            var failure = finished ? null
                : !exited ? $"the client did not end within {options.RunTimeout.TotalSeconds:F0} s"
                : results is null ? "the cluster did not answer for the job's results"
                : $"job {results.State}: {string.Join("; ", results.Tasks.Select(t => $"{t.TaskName} {t.State} at {t.Summary?.Steps ?? 0}{(t.Error is null ? "" : $" ({t.Error})")}"))}";
            var corrupt = await CheckpointAudit.CountCorruptAsync(cluster.CheckpointRoot, jobId, results, journal, cancel);
            var (declaredDead, appliedAfterDeath) = stoppedSilo is null ? (null, 0)
                : RunFigures.AfterDeclaredDead(journal, membership, stoppedSilo, faultTime);
            return (new RunFigures(index, finished, failure, fault is null ? 0 : faultStep, redone, doubleApplied, monotonic, corrupt,
                fault is null ? null : recovery, LossDifference(results, baseline), journal.Count, declaredDead, stoppedSilo is null ? null : appliedAfterDeath), results);
        }
        finally
        {
            foreach (var c in clients)
            {
                await c.DisposeAsync();
            }
        }
    }

    private static RunFigures Failed(int index, long faultStep, string why) => new(index, false, why, faultStep, 0, 0, true, 0, null, null, 0);

    private async Task<string> JobIdAsync(ChaosProcess client, CancellationToken cancel)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            if (client.Lines.Select(l => JobLine().Match(l.Text)).FirstOrDefault(m => m.Success) is { } match)
            {
                return match.Groups[1].Value;
            }
            if (client.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"the client printed no job id (exit {(client.HasExited ? client.ExitCode : "none yet")}):\n{client.Tail()}");
            }
            await Task.Delay(100, cancel);
        }
    }

    /// <summary>Waits until the group accepted some task's push of <paramref name="step"/>; false when the client ended first.</summary>
    private async Task<bool> WaitForStepAsync(ChaosCluster cluster, ChaosProcess client, long step, CancellationToken cancel)
    {
        var deadline = DateTime.UtcNow + options.RunTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (PushJournal.Read(cluster.Silos.SelectMany(s => s.Lines)).Any(p => p.Accepted && p.Step >= step))
            {
                return true;
            }
            if (client.HasExited) return false;
            await Task.Delay(50, cancel);
        }
        return false;
    }

    /// <summary>The job's results through a fresh client; null when the cluster cannot answer.</summary>
    private async Task<JobResults?> ResultsAsync(ChaosCluster cluster, string jobId, CancellationToken cancel)
    {
        var target = new ClusterTarget(new AcceptClusterOptions
        {
            ClusterId = cluster.ClusterId, ServiceId = cluster.ClusterId, Clustering = ClusteringKind.Redis, RedisConnectionString = cluster.Redis,
        }, null, TimeSpan.FromSeconds(30));
        try
        {
            await using var connection = await ClusterConnection.ConnectAsync(target, cancel);
            return await connection.Client.GetGrain<IJobGrain>(jobId).GetResults().WaitAsync(TimeSpan.FromSeconds(30), cancel);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            progress($"job results unavailable: {e.GetType().Name}: {e.Message}");
            return null;
        }
    }

    private static double? LossDifference(JobResults? results, IReadOnlyDictionary<string, double>? baseline)
    {
        if (results is null || baseline is null) return null;
        var differences = results.Tasks
            .Where(t => t.Summary?.FinalLoss is not null && baseline.ContainsKey(t.TaskName))
            .Select(t => Math.Abs(t.Summary!.FinalLoss!.Value - baseline[t.TaskName]))
            .ToList();
        return differences.Count == baseline.Count ? differences.Max() : null;
    }

    private static void WriteLogs(string work, ChaosCluster cluster, IEnumerable<ChaosProcess> clients)
    {
        foreach (var group in cluster.AllProcesses.Concat(clients).GroupBy(p => p.Name))
        {
            File.WriteAllLines(Path.Combine(work, $"{group.Key}.log"), group.SelectMany(p => p.Lines).Select(l => $"{l.Time:O} {l.Text}"));
        }
    }

    [GeneratedRegex(@"^job (\S+) on ")]
    private static partial Regex JobLine();
}
