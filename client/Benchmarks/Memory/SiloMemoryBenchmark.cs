using Accept.Client.Cluster;
using Accept.GrainInterfaces;
using Accept.GrainInterfaces.Jobs;
using Accept.GrainInterfaces.Tasks;
using Accept.Grains.Checkpoints;
using Accept.Training.Checkpointing.Store;
using Accept.Grains.Execution;
using Accept.Grains.Hosting;
using Accept.Training.Config;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Accept.Client.Benchmarks.Memory;

/// <summary>
/// Measures a worker silo's memory while it trains every task of a run spec: one silo (also the
/// coordinator) and its client in this process, the job submitted, measured once every task has taken
/// <c>steps</c> steps, then cancelled. Run one measurement per process (libtorch keeps freed memory), e.g.
/// once with a 1-task spec and once with an 8-task spec over the same backbone.
/// </summary>
public static class SiloMemoryBenchmark
{
    public static async Task<SiloMemoryReport> RunAsync(string runSpecJson, string checkpointRoot, long steps = 3, CancellationToken cancellationToken = default)
    {
        var spec = RunSpecReader.Parse(runSpecJson, "run spec");
        var baseline = ThisMachine.WorkingSetMb();
        var id = $"memory-{Guid.NewGuid():N}"[..20];
        var settings = new AcceptSiloSettings(
            new AcceptClusterOptions { ClusterId = id, ServiceId = id, SiloPort = EmbeddedCluster.FreePort(), GatewayPort = EmbeddedCluster.FreePort() },
            new AcceptSiloOptions { Name = "memory-worker" },
            new CheckpointStoreOptions { Root = checkpointRoot });
        using var silo = new HostBuilder().UseOrleans(s => AcceptSiloBuilder.Configure(s, settings)).Build();
        await silo.StartAsync(cancellationToken);
        try
        {
            using var client = new HostBuilder().UseOrleansClient(c => AcceptClientBuilder.Configure(c, settings.Cluster)).Build();
            await client.StartAsync(cancellationToken);
            var grains = client.Services.GetRequiredService<IClusterClient>();
            var job = grains.GetGrain<IJobGrain>(id);
            await job.Submit(new JobSubmission(runSpecJson, "silo memory benchmark"));
            var tasks = spec.Tasks.Select(t => grains.GetGrain<ITaskGrain>(GrainKeys.Task(id, t.Name))).ToList();
            while (true)
            {
                var statuses = await Task.WhenAll(tasks.Select(t => t.GetStatus()));
                var failed = statuses.FirstOrDefault(s => s.State == TaskState.Failed);
                if (failed is not null)
                {
                    throw new InvalidOperationException($"Task {failed.TaskName} failed: {failed.Error}");
                }
                if (statuses.All(s => s.Step >= steps || s.State == TaskState.Completed))
                {
                    break;
                }
                await Task.Delay(50, cancellationToken);
            }
            var backbones = silo.Services.GetRequiredService<BackboneCache>();
            var sessions = silo.Services.GetRequiredService<TaskSessionHost>();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var workingSet = ThisMachine.WorkingSetMb();
            var managed = GC.GetGCMemoryInfo().TotalCommittedBytes / 1048576.0;
            var report = new SiloMemoryReport(
                spec.Tasks.Count,
                backbones.Directories.Sum(d => backbones.Get(d).ParameterCount),
                backbones.Loads,
                sessions.Count,
                steps,
                Math.Round(baseline, 1),
                Math.Round(workingSet, 1),
                Math.Round(managed, 1),
                Math.Round(workingSet - managed, 1),
                Math.Round(workingSet - baseline, 1));
            await job.Cancel();
            await client.StopAsync(cancellationToken);
            return report;
        }
        finally
        {
            await silo.StopAsync(CancellationToken.None);
        }
    }
}
