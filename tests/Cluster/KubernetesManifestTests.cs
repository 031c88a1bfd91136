using System.Text.Json;
using System.Text.RegularExpressions;
using Accept.Tests.Grains.Telemetry;

namespace Accept.Tests.Cluster;

[Trait("Category", "MultiProcess")]
public sealed partial class KubernetesManifestTests
{
    [GeneratedRegex(@"\baccept_[a-z_]+")]
    private static partial Regex AcceptMetricName();

    [Fact]
    public void The_dashboard_queries_only_metrics_the_silos_export_and_covers_each_of_them()
    {
        var path = Path.Combine(TestEnvironment.RepositoryRoot, "k8s", "grafana", "accept-dashboard.json");
        using var dashboard = JsonDocument.Parse(File.ReadAllText(path));
        var expressions = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!)
            .ToList();
        var families = MetricsExpositionTests.Families.Select(f => f.Name).ToHashSet();

        var used = expressions.SelectMany(e => AcceptMetricName().Matches(e).Select(m => Regex.Replace(m.Value, "_(bucket|count|sum)$", ""))).ToHashSet();

        Assert.Empty(used.Except(families));
        Assert.Empty(families.Except(used));
    }

    [SkippableFact]
    public async Task Kustomize_renders_the_coordinator_the_gpu_workers_and_redis()
    {
        var rendered = await Kustomize.RenderAsync();
        Assert.Contains("kind: StatefulSet", rendered);
        Assert.Contains("nvidia.com/gpu: 1", rendered);
        Assert.Matches(@"name: Accept__Silo__Role\s+value: worker", rendered);
        Assert.Matches(@"name: Accept__Silo__Role\s+value: coordinator", rendered);
        Assert.Contains("Accept__Cluster__Clustering: Redis", rendered);
        Assert.Contains("grafana_dashboard: \"1\"", rendered);
        Assert.DoesNotContain("AccountKey", rendered);
    }
}
