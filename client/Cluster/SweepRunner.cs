using System.Globalization;
using Accept.GrainInterfaces.Sweeps;
using Accept.Training.Config;
using Accept.Training.Sweeps;
using Spectre.Console;

namespace Accept.Client.Cluster;

/// <summary>
/// `accept sweep`: prepares the sweep spec (the base made self-contained as for `train`), starts or resumes the
/// sweep grain on the named cluster or an embedded one, and follows it with a live table. Stopping the client
/// (Ctrl-C) stops following, not the sweep; on an embedded cluster the sweep stops with the process and
/// `accept sweep --resume DIR` continues it.
/// </summary>
public static class SweepRunner
{
    public sealed record Request(string? SpecFile, string? ResumeDirectory, string RunsRoot, string CacheRoot, ClusterTarget? Target, int Silos);

    public static async Task<(SweepStatus Status, string Directory)> RunAsync(Request request, IAnsiConsole console, CancellationToken cancel)
    {
        var (sweepId, directory, specJson, resumeState) = Prepare(request, console);
        LastSweep.Record(sweepId);
        await using var session = request.Target is { } target
            ? (IClusterSession)await ClusterConnection.ConnectAsync(target, cancel)
            : await EmbeddedCluster.StartAsync(new EmbeddedClusterOptions(Path.Combine(directory, "checkpoints"), request.Silos), cancel);
        console.MarkupLine($"sweep [bold]{Markup.Escape(sweepId)}[/] on {Markup.Escape(session.Description)}");
        console.MarkupLine(request.Target is null
            ? "[grey]embedded cluster: Ctrl-C stops the sweep with this process; `accept sweep --resume DIR` continues it[/]"
            : "[grey]Ctrl-C stops watching; the sweep goes on (`accept sweep status`, `accept sweep cancel`)[/]");
        var grain = session.Client.GetGrain<ISweepGrain>(sweepId);
        var concurrency = request.Target is null ? request.Silos : Math.Max(1, (await session.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count - 1);
        var status = await grain.Start(new SweepSubmission(specJson, directory, concurrency, resumeState));
        try
        {
            status = await WatchAsync(console, grain, status, cancel);
        }
        catch (OperationCanceledException)
        {
            console.MarkupLine("[yellow]stopped following the sweep[/]");
        }
        console.Write(SweepTable.Build(status, sortedByObjective: true));
        return (status, directory);
    }

    private static (string Id, string Directory, string SpecJson, string? ResumeState) Prepare(Request request, IAnsiConsole console)
    {
        if (request.ResumeDirectory is { } resume)
        {
            if (request.SpecFile is not null) throw new SpecException("--resume continues a sweep with its own sweep.json; drop --spec");
            var dir = new SweepDirectory(resume);
            var state = dir.ReadState() ?? throw new SpecException($"{dir.StatePath}: not found; is {resume} a sweep directory?");
            return (state.SweepId, dir.Path, state.SpecJson, SweepStateJson.ToJson(state));
        }
        var file = request.SpecFile ?? throw new SpecException("give --spec FILE (or --resume DIR)");
        var spec = SweepSpecReader.Read(file);
        var baseSpec = ClusterSpecPreparation.Prepare(RunSpecReader.Parse(spec.BaseRunSpecJson, "base"), request.CacheRoot, console);
        spec = spec with { BaseRunSpecJson = RunSpecWriter.ToJson(baseSpec) };
        var id = $"{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{JobNames.RunName(Path.GetFileNameWithoutExtension(file))}";
        id = $"{id[..Math.Min(id.Length, 40)]}-{Guid.NewGuid().ToString("N")[..4]}";
        var directory = Path.Combine(Path.GetFullPath(request.RunsRoot), id);
        Directory.CreateDirectory(directory);
        return (id, directory, SweepSpecWriter.ToJson(spec), null);
    }

    /// <summary>Refreshes the table until the sweep ends (or <paramref name="cancel"/> fires: <see cref="OperationCanceledException"/>).</summary>
    public static async Task<SweepStatus> WatchAsync(IAnsiConsole console, ISweepGrain grain, SweepStatus status, CancellationToken cancel)
    {
        if (console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi)
        {
            await console.Live(SweepTable.Build(status)).AutoClear(false).StartAsync(async context =>
            {
                while (status.Phase == "running")
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), cancel);
                    status = await grain.GetStatus();
                    context.UpdateTarget(SweepTable.Build(status));
                }
            });
            return status;
        }
        var printed = DateTime.MinValue;
        while (status.Phase == "running")
        {
            if (DateTime.UtcNow - printed > TimeSpan.FromSeconds(5))
            {
                printed = DateTime.UtcNow;
                foreach (var line in SweepTable.Lines(status)) console.WriteLine(line);
            }
            await Task.Delay(TimeSpan.FromSeconds(1), cancel);
            status = await grain.GetStatus();
        }
        return status;
    }
}
