using Accept.GrainInterfaces.Diagnostics;
using Accept.GrainInterfaces.Tensors;
using Orleans.TestingHost;

namespace Accept.Tests.Grains.Placement;

[Trait("Category", "Cluster")]
public sealed class WorkerPlacementClusterFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; } = new TestClusterBuilder(3).AddSiloBuilderConfigurator<RoleBySiloNameConfigurator>().Build();

    public Task InitializeAsync() => Cluster.DeployAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[Trait("Category", "Cluster")]
public sealed class WorkerPlacementTests(WorkerPlacementClusterFixture fixture) : IClassFixture<WorkerPlacementClusterFixture>
{
    private const int Grains = 60;

    private string CoordinatorAddress => fixture.Cluster.Primary!.SiloAddress.ToParsableString();

    [Fact]
    public async Task Worker_placed_grains_never_activate_on_the_coordinator_and_use_every_worker()
    {
        var placed = await Task.WhenAll(Enumerable.Range(0, Grains)
            .Select(i => fixture.Cluster.Client.GetGrain<IWorkerProbeGrain>($"worker-{i}").Where()));

        Assert.All(placed, p => Assert.NotEqual(CoordinatorAddress, p.SiloAddress));
        Assert.All(placed, p => Assert.Equal("worker", p.Role));
        // The silo's Accept:Silo:Device setting (cpu by default), as its metadata declares it.
        Assert.All(placed, p => Assert.Equal("cpu", p.Device));
        var workers = fixture.Cluster.SecondarySilos.Select(s => s.SiloAddress.ToParsableString()).Order().ToArray();
        Assert.Equal(workers, placed.Select(p => p.SiloAddress).Distinct().Order().ToArray());
    }

    [Fact]
    public async Task Grains_without_the_filter_also_use_the_coordinator()
    {
        var placed = await Task.WhenAll(Enumerable.Range(0, Grains)
            .Select(i => fixture.Cluster.Client.GetGrain<IProbeGrain>($"any-{i}").Where()));

        Assert.Contains(placed, p => p.SiloAddress == CoordinatorAddress && p.Role == "coordinator");
    }

    [Fact]
    public async Task Tensor_payloads_cross_the_wire_intact()
    {
        var data = Enumerable.Range(0, 4 * 6).SelectMany(i => BitConverter.GetBytes(i * 0.5f)).ToArray();
        var sent = new TensorPayload("float32", [4, 6], data);

        var received = await fixture.Cluster.Client.GetGrain<IWorkerProbeGrain>("echo").Echo(sent);

        Assert.Equal("float32", received.DType);
        Assert.Equal(sent.Shape, received.Shape);
        Assert.Equal(sent.Data, received.Data);
    }
}

[Trait("Category", "Cluster")]
public sealed class NoWorkerPlacementTests
{
    [Fact]
    public async Task Without_any_worker_a_worker_placed_grain_fails_instead_of_landing_on_a_coordinator()
    {
        var builder = new TestClusterBuilder(1).AddSiloBuilderConfigurator<RoleBySiloNameConfigurator>();
        await using var cluster = builder.Build();
        await cluster.DeployAsync();

        var any = await cluster.Client.GetGrain<IProbeGrain>("any").Where();
        var error = await Record.ExceptionAsync(() => cluster.Client.GetGrain<IWorkerProbeGrain>("w").Where());

        Assert.Equal("coordinator", any.Role);
        Assert.NotNull(error);
    }
}
