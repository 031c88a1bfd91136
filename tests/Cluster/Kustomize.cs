using System.Diagnostics;

namespace Accept.Tests.Cluster;

/// <summary>`kubectl kustomize k8s`: the manifests as a cluster would receive them (skips when kubectl is missing).</summary>
internal static class Kustomize
{
    public static async Task<string> RenderAsync()
    {
        var kubectl = TestEnvironment.FindOnPath("kubectl");
        Skip.If(kubectl is null, "kubectl is not installed");
        using var process = Process.Start(new ProcessStartInfo(kubectl!, ["kustomize", Path.Combine(TestEnvironment.RepositoryRoot, "k8s")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await error);
        return await output;
    }
}
