using YamlDotNet.RepresentationModel;

namespace Accept.Tests.Cluster;

/// <summary>
/// The rendered manifests (`kubectl kustomize k8s`) run every container as non-root on a read-only root
/// file system with no capabilities, and admit silo and gateway traffic only from the deployment's own pods.
/// </summary>
[Trait("Category", "MultiProcess")]
public sealed class KubernetesSecurityTests
{
    [SkippableFact]
    public async Task Every_container_runs_non_root_read_only_without_capabilities()
    {
        var documents = await Render();
        var workloads = documents.Where(d => Scalar(d, "kind") is "Deployment" or "StatefulSet" or "DaemonSet" or "Job").ToList();
        Assert.True(workloads.Count >= 3, $"expected the coordinator, the workers and Redis, found {workloads.Count} workloads");

        foreach (var workload in workloads)
        {
            var name = Scalar(workload, "metadata", "name");
            var pod = Map(workload, "spec", "template", "spec");
            Assert.True(Scalar(pod, "securityContext", "runAsNonRoot") == "true", $"{name}: pod securityContext.runAsNonRoot");
            Assert.True(int.Parse(Scalar(pod, "securityContext", "runAsUser") ?? "0") > 0, $"{name}: pod securityContext.runAsUser must not be 0");
            var containers = (YamlSequenceNode)pod.Children[new YamlScalarNode("containers")];
            foreach (YamlMappingNode container in containers)
            {
                var where = $"{name}/{Scalar(container, "name")}";
                Assert.True(Scalar(container, "securityContext", "readOnlyRootFilesystem") == "true", $"{where}: readOnlyRootFilesystem");
                Assert.True(Scalar(container, "securityContext", "allowPrivilegeEscalation") == "false", $"{where}: allowPrivilegeEscalation");
                var drop = (YamlSequenceNode)Map(container, "securityContext", "capabilities").Children[new YamlScalarNode("drop")];
                Assert.Contains("ALL", drop.Children.Select(c => ((YamlScalarNode)c).Value));
            }
        }
    }

    [SkippableFact]
    public async Task Silo_and_gateway_ports_are_admitted_only_from_the_deployments_own_pods()
    {
        var documents = await Render();
        var policy = documents.Single(d => Scalar(d, "kind") == "NetworkPolicy" && Scalar(d, "spec", "podSelector", "matchLabels", "app.kubernetes.io/name") == "accept-silo");
        var rules = (YamlSequenceNode)Map(policy, "spec").Children[new YamlScalarNode("ingress")];

        foreach (var port in new[] { "11111", "30000" })
        {
            var admitting = rules.Cast<YamlMappingNode>().Where(r => Ports(r).Contains(port)).ToList();
            Assert.NotEmpty(admitting);
            foreach (var rule in admitting)
            {
                // A rule without "from" admits every source: not allowed for the silo and gateway ports.
                Assert.True(rule.Children.ContainsKey(new YamlScalarNode("from")), $"port {port} is open to every source");
                var sources = (YamlSequenceNode)rule.Children[new YamlScalarNode("from")];
                foreach (YamlMappingNode source in sources)
                {
                    Assert.False(source.Children.ContainsKey(new YamlScalarNode("ipBlock")), $"port {port} admits an ipBlock");
                    Assert.False(source.Children.ContainsKey(new YamlScalarNode("namespaceSelector")), $"port {port} admits other namespaces");
                    Assert.True(source.Children.ContainsKey(new YamlScalarNode("podSelector")), $"port {port}: every source is a pod selector");
                }
            }
        }
    }

    private static IEnumerable<string> Ports(YamlMappingNode rule) =>
        rule.Children.TryGetValue(new YamlScalarNode("ports"), out var ports)
            ? ((YamlSequenceNode)ports).Cast<YamlMappingNode>().Select(p => Scalar(p, "port") ?? "")
            : [];

    private static async Task<List<YamlMappingNode>> Render()
    {
        var rendered = await Kustomize.RenderAsync();
        var stream = new YamlStream();
        stream.Load(new StringReader(rendered));
        return stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>().ToList();
    }

    private static YamlMappingNode Map(YamlMappingNode node, params string[] path)
    {
        foreach (var key in path)
        {
            node = (YamlMappingNode)node.Children[new YamlScalarNode(key)];
        }
        return node;
    }

    private static string? Scalar(YamlMappingNode node, params string[] path)
    {
        YamlNode current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                return null;
            }
            current = next;
        }
        return (current as YamlScalarNode)?.Value;
    }
}
