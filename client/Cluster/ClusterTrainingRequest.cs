using Accept.Training.Config;

namespace Accept.Client.Cluster;

/// <summary>A run to train on a cluster.</summary>
/// <param name="Spec">The run spec after overrides; its paths are made absolute before it is submitted.</param>
/// <param name="RunName">Free text for the run folder and job id (a spec file's name).</param>
/// <param name="RunsRoot">The folder run directories are created in.</param>
/// <param name="Target">A running cluster; null starts an <see cref="EmbeddedCluster"/> for this run.</param>
/// <param name="EmbeddedSilos">Silos of the embedded cluster.</param>
/// <param name="TorchThreads">libtorch threads of the embedded cluster; 0 shares the cores among its silos.</param>
/// <param name="ResumeDirectory">A run directory to continue (any mode wrote it) instead of a new one; <paramref name="Spec"/> is its spec.</param>
public sealed record ClusterTrainingRequest(
    RunSpec Spec,
    string RunName,
    string RunsRoot,
    ClusterTarget? Target,
    int EmbeddedSilos = 2,
    int TorchThreads = 0,
    string? ResumeDirectory = null);
