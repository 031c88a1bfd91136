using System.CommandLine;
using Accept.Client.Options;
using Accept.Training.Config;
using Spectre.Console;

namespace Accept.Client.Cluster;

/// <summary>
/// The cluster half of `accept train`: adds the cluster flags and `--silos` to the command and runs a spec on
/// the named cluster, or on an embedded one when none is named. The run directory is the last line printed.
/// </summary>
internal sealed class ClusterTrainOptions
{
    private readonly ClusterFlags _cluster;
    private readonly Option<int> _silos = new Option<int>("--silos") { Description = "Worker silos of the embedded cluster (when no cluster is named)", DefaultValueFactory = _ => 2 }.InRange(1, 64);

    private readonly Option<int> _torchThreads = new Option<int>("--torch-threads") { Description = "libtorch threads of the embedded cluster's silos (0: the cores shared among their concurrent steps)", DefaultValueFactory = _ => 0 }.InRange(0, 1024);

    private ClusterTrainOptions(ClusterFlags cluster) => _cluster = cluster;

    public static ClusterTrainOptions AddTo(Command command)
    {
        var options = new ClusterTrainOptions(ClusterFlags.AddTo(command));
        command.Options.Add(options._silos);
        command.Options.Add(options._torchThreads);
        return options;
    }

    /// <param name="specFile">The run spec file (or null with <paramref name="resumeDirectory"/>).</param>
    /// <param name="resumeDirectory">A run directory to continue on the cluster, whichever mode wrote it.</param>
    /// <param name="cacheRoot">Where the demo backbone and demo data sets are cached.</param>
    public Task<int> RunAsync(ParseResult parse, string? specFile, string runsRoot, string cacheRoot, Func<RunSpec, RunSpec> applyOverrides, CancellationToken cancel,
        string? resumeDirectory = null) =>
        ClusterErrors.ReportAsync(async () =>
        {
            var silos = parse.GetValue(_silos);
            if (silos < 1)
            {
                throw new ArgumentException($"--silos {silos}: expected at least 1.");
            }
            var console = ClientConsole.Create();
            if (resumeDirectory is not null && specFile is not null)
            {
                throw new SpecException("--resume continues a run with its own spec.json; drop --spec");
            }
            var file = resumeDirectory is not null ? Path.Combine(resumeDirectory, "spec.json") : specFile ?? throw new SpecException("give --spec FILE (or --resume RUNDIR)");
            var spec = resumeDirectory is not null
                ? Commands.ResumeSpec.Read(resumeDirectory, applyOverrides)
                : ClusterSpecPreparation.Prepare(applyOverrides(RunSpecReader.Read(file)), cacheRoot, console);
            var torchThreads = parse.GetValue(_torchThreads);
            if (torchThreads < 0)
            {
                throw new ArgumentException($"--torch-threads {torchThreads}: expected 0 (the cores shared among the silos' concurrent steps) or more.");
            }
            var request = new ClusterTrainingRequest(spec, Path.GetFileNameWithoutExtension(file), runsRoot, _cluster.Resolve(parse), silos, TorchThreads: torchThreads,
                ResumeDirectory: resumeDirectory);
            var outcome = await ClusterTraining.RunAsync(request, console, cancel);
            Console.WriteLine(outcome.RunDirectory);
            return outcome.ExitCode;
        });
}
