using Accept.Tests.Cluster;

namespace Accept.Tests.Devices;

/// <summary>The Kubernetes pools agree with the silo's device setting: GPU workers ask for CUDA and get a GPU; the coordinator needs none.</summary>
[Trait("Category", "Fast")]
public sealed class WorkerManifestTests
{
    private static string Manifest(string name) => File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "k8s", name));

    [Fact]
    public void Workers_train_on_cuda_and_request_a_gpu()
    {
        var worker = Manifest("worker.yaml");

        Assert.Matches(@"name: Accept__Silo__Role\s+value: worker", worker);
        Assert.Matches(@"name: Accept__Silo__Device\s+value: cuda\s", worker);
        Assert.Matches(@"requests:(\s+[a-z]+: \S+)*\s+nvidia\.com/gpu: 1", worker);
        Assert.Matches(@"limits:(\s+[a-z]+: \S+)*\s+nvidia\.com/gpu: 1", worker);
    }

    [Fact]
    public void The_coordinator_stays_on_the_cpu()
    {
        var coordinator = Manifest("coordinator.yaml");

        Assert.Matches(@"name: Accept__Silo__Device\s+value: cpu\s", coordinator);
        Assert.DoesNotContain("nvidia.com/gpu", coordinator);
    }

    [Fact]
    public void The_silo_image_builds_cuda_workers_with_the_cuda_libtorch()
    {
        var dockerfile = File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "silo", "Dockerfile"));

        Assert.Contains("ARG DEVICE=cpu", dockerfile);
        Assert.Contains("-p:AcceptDevice=${DEVICE}", dockerfile);
    }
}
