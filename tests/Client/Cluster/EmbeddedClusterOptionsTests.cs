using Accept.Client.Cluster;

namespace Accept.Tests.Client.Cluster;

/// <summary>How the embedded cluster divides the machine's cores among its silos' concurrent steps.</summary>
[Trait("Category", "Fast")]
public sealed class EmbeddedClusterOptionsTests
{
    [Fact]
    public void Zero_torch_threads_share_the_cores_among_all_concurrent_steps_and_never_drop_below_one()
    {
        var cores = Environment.ProcessorCount;

        Assert.Equal(cores, new EmbeddedClusterOptions("checkpoints", Silos: 1, SlotsPerSilo: 1).ResolvedTorchThreads);
        Assert.Equal(Math.Max(1, cores / 2), new EmbeddedClusterOptions("checkpoints").ResolvedTorchThreads);
        Assert.Equal(1, new EmbeddedClusterOptions("checkpoints", Silos: cores + 1, SlotsPerSilo: 1).ResolvedTorchThreads);
        Assert.Equal(3, new EmbeddedClusterOptions("checkpoints", TorchThreads: 3).ResolvedTorchThreads);
    }
}
