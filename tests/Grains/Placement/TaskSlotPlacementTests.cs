using Accept.GrainInterfaces;
using Accept.GrainInterfaces.Tasks;
using Accept.Grains.Placement;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.TestingHost;

namespace Accept.Tests.Grains.Placement;

/// <summary>A coordinator and <c>workers</c> worker silos with the project's runtime, for placement only (no training).</summary>
public abstract class PlacementCluster(int workers, bool fastFailureDetection = false) : IAsyncLifetime
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("accept-placement-");

    public TestCluster Cluster { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Cluster = GrainSiloConfigurator.Build(_root.FullName, workers, fastFailureDetection: fastFailureDetection);
        return Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        _root.Delete(recursive: true);
    }
}

public sealed class TwoWorkerPlacementCluster() : PlacementCluster(2);

public sealed class ThreeWorkerPlacementCluster() : PlacementCluster(3);

/// <summary>Places real task grains (activated by a status call, so nothing trains) and reads where each landed.</summary>
internal static class TaskPlacement
{
    /// <summary>Activates <paramref name="tasks"/> task grains of <paramref name="job"/> one after another, as a job grain starts them; task → silo name.</summary>
    public static async Task<Dictionary<string, string>> PlaceAsync(IClusterClient client, string job, int tasks, int first = 0)
    {
        var placed = new Dictionary<string, string>();
        for (var i = first; i < first + tasks; i++)
        {
            placed[$"t{i}"] = await SiloOfAsync(client, job, $"t{i}");
        }
        return placed;
    }

    public static async Task<string> SiloOfAsync(IClusterClient client, string job, string task) =>
        (await client.GetGrain<ITaskGrain>(GrainKeys.Task(job, task)).GetStatus()).Silo ?? throw new InvalidOperationException("A task answered without its silo.");

    /// <summary>Tasks per worker silo (workers without tasks count 0).</summary>
    public static Dictionary<string, int> PerWorker(TestCluster cluster, IEnumerable<string> silos) =>
        cluster.Silos.Where(s => s.Name != "Primary").ToDictionary(s => s.Name, s => silos.Count(name => name == s.Name));

    /// <summary>Deactivates every idle grain and waits until no task grain is active, so the next case starts from empty silos.</summary>
    public static async Task ClearAsync(TestCluster cluster)
    {
        var management = cluster.Client.GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            await management.ForceActivationCollection(TimeSpan.Zero);
            var active = await management.GetDetailedGrainStatistics();
            if (!active.Any(a => a.GrainType.Contains(nameof(Accept.Grains.Tasks.TaskGrain), StringComparison.Ordinal)))
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, "Task grains were still active 30 s after forced collection.");
            await Task.Delay(100);
        }
    }

    /// <summary>Each worker hosts ⌊N/S⌋ or ⌈N/S⌉ of the N tasks.</summary>
    public static void AssertEvenSpread(Dictionary<string, int> perWorker, int tasks)
    {
        var workers = perWorker.Count;
        Assert.Equal(tasks, perWorker.Values.Sum());
        Assert.All(perWorker, w => Assert.InRange(w.Value, tasks / workers, (tasks + workers - 1) / workers));
    }
}

[Trait("Category", "Cluster")]
public sealed class TwoWorkerTaskPlacementTests(TwoWorkerPlacementCluster fixture) : IClassFixture<TwoWorkerPlacementCluster>
{
    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(6)]
    public async Task N_tasks_on_two_workers_leave_each_with_the_floor_or_ceiling_of_N_over_2(int tasks)
    {
        await TaskPlacement.ClearAsync(fixture.Cluster);

        var placed = await TaskPlacement.PlaceAsync(fixture.Cluster.Client, $"two-{tasks}", tasks);

        TaskPlacement.AssertEvenSpread(TaskPlacement.PerWorker(fixture.Cluster, placed.Values), tasks);
    }
}

[Trait("Category", "Cluster")]
public sealed class ThreeWorkerTaskPlacementTests(ThreeWorkerPlacementCluster fixture) : IClassFixture<ThreeWorkerPlacementCluster>
{
    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(6)]
    public async Task N_tasks_on_three_workers_leave_each_with_the_floor_or_ceiling_of_N_over_3(int tasks)
    {
        await TaskPlacement.ClearAsync(fixture.Cluster);

        var placed = await TaskPlacement.PlaceAsync(fixture.Cluster.Client, $"three-{tasks}", tasks);

        TaskPlacement.AssertEvenSpread(TaskPlacement.PerWorker(fixture.Cluster, placed.Values), tasks);
    }
}

[Trait("Category", "Cluster")]
public sealed class TaskPlacementMembershipTests
{
    [Fact]
    public async Task A_dead_workers_tasks_go_to_the_least_loaded_survivors_and_a_joining_worker_takes_new_tasks()
    {
        var root = Directory.CreateTempSubdirectory("accept-placement-");
        await using var cluster = GrainSiloConfigurator.Build(root.FullName, workers: 3, fastFailureDetection: true);
        await cluster.DeployAsync();
        var client = cluster.Client;
        try
        {
            var placed = await TaskPlacement.PlaceAsync(client, "churn", 6);
            TaskPlacement.AssertEvenSpread(TaskPlacement.PerWorker(cluster, placed.Values), 6);

            var doomed = cluster.SecondarySilos[0];
            await cluster.KillSiloAsync(doomed);
            // Asking every task again, one after another as the job grain does, reactivates the dead worker's two;
            // each survivor then hosts three.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            var after = new Dictionary<string, string>();
            foreach (var task in placed.Keys)
            {
                while (!after.ContainsKey(task))
                {
                    try
                    {
                        after[task] = await TaskPlacement.SiloOfAsync(client, "churn", task);
                    }
                    catch (Exception e) when (e is OrleansMessageRejectionException or SiloUnavailableException or TimeoutException && DateTime.UtcNow < deadline)
                    {
                        // Not yet declared dead: the call still goes to its activation.
                    }
                }
            }
            Assert.DoesNotContain(doomed.Name, after.Values);
            var survivors = TaskPlacement.PerWorker(cluster, after.Values);
            Assert.Equal(2, survivors.Count);
            Assert.All(survivors, s => Assert.Equal(3, s.Value));

            var joined = await cluster.StartAdditionalSiloAsync();
            // Placement on a silo sees the joiner once that silo's membership view holds it as active and its metadata
            // cache has its worker role (filled a moment after the membership change): wait for that on every silo.
            var joinDeadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!cluster.Silos.Cast<InProcessSiloHandle>().All(silo => SeesWorker(silo, joined.SiloAddress)) || !await AnswersStatistics(client, joined.SiloAddress))
            {
                Assert.True(DateTime.UtcNow < joinDeadline, "not every silo saw the joining worker as an active worker after 30 s");
                await Task.Delay(50);
            }
            var newcomers = await TaskPlacement.PlaceAsync(client, "churn", 3, first: 6);
            // The joiner had none, the others three each: all three new tasks go to it.
            Assert.All(newcomers.Values, silo => Assert.Equal(joined.Name, silo));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    /// <summary>Placement asks each candidate for its activations; a joiner that cannot answer yet is passed over.</summary>
    private static async Task<bool> AnswersStatistics(IClusterClient client, SiloAddress worker)
    {
        try
        {
            await client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics(hostsIds: [worker]).WaitAsync(TimeSpan.FromSeconds(5));
            return true;
        }
        catch (Exception e) when (e is TimeoutException or OrleansException or SiloUnavailableException)
        {
            return false;
        }
    }

    private static bool SeesWorker(InProcessSiloHandle silo, SiloAddress worker)
    {
        var services = silo.SiloHost.Services;
        return services.GetRequiredService<IClusterMembershipService>().CurrentSnapshot.GetSiloStatus(worker) == SiloStatus.Active
            && services.GetRequiredService<ISiloMetadataCache>().GetSiloMetadata(worker).Metadata.TryGetValue(SiloMetadataKeys.Role, out var role)
            && role == SiloMetadataKeys.WorkerRole;
    }
}
