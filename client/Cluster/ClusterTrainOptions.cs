using System.CommandLine;
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
    private readonly Option<int> _silos = new("--silos") { Description = "Worker silos of the embedded cluster (when no cluster is named)", DefaultValueFactory = _ => 2 };

    private ClusterTrainOptions(ClusterFlags cluster) => _cluster = cluster;

    public static ClusterTrainOptions AddTo(Command command)
    {
        var options = new ClusterTrainOptions(ClusterFlags.AddTo(command));
        command.Options.Add(options._silos);
        return options;
    }

    public async Task<int> RunAsync(ParseResult parse, RunSpec spec, string runName, string runsRoot, CancellationToken cancel)
    {
        var silos = parse.GetValue(_silos);
        if (silos < 1)
        {
            throw new ArgumentException($"--silos {silos}: expected at least 1.");
        }
        var outcome = await ClusterTraining.RunAsync(new ClusterTrainingRequest(spec, runName, runsRoot, _cluster.Resolve(parse), silos), AnsiConsole.Console, cancel);
        Console.Out.Flush();
        Console.WriteLine(outcome.RunDirectory);
        return outcome.ExitCode;
    }
}
