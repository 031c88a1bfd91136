using System.CommandLine;
using System.Text.RegularExpressions;
using Accept.Client.Cluster;
using Accept.Client.Options;
using Accept.Training.Checkpointing;
using Accept.Training.Checkpointing.Store;
using Accept.Training.Config;
using Accept.Training.Devices;
using Accept.Training.IO;
using Accept.Training.MultiTask;
using Accept.Training.Runs;
using Accept.Training.T5;
using Spectre.Console;

namespace Accept.Client.Commands;

/// <summary>
/// `accept train --spec FILE --in-process [--device cpu|cuda[:N]] [overrides] [--runs-dir DIR] [--resume RUNDIR]`: multi-task
/// training with live progress, a results table, and the run directory as the last line printed. Without
/// --in-process the spec trains on a cluster (<see cref="ClusterTrainOptions"/>): the one named by --gateway or
/// --redis, or an embedded one.
/// </summary>
internal static partial class TrainCommand
{
    public static Command Create()
    {
        var command = new Command("train", "Train the run spec's tasks together (ACCEPT prompt tuning with shared codebooks)");
        var spec = new Option<FileInfo?>("--spec") { Description = "JSON run spec (docs/run-spec.md)" };
        var inProcess = new Option<bool>("--in-process") { Description = "train in this process, without a cluster" };
        var runsDir = new Option<DirectoryInfo>("--runs-dir") { Description = "where run directories are created", DefaultValueFactory = _ => new DirectoryInfo("runs") }.WritableDirectory();
        var resume = new Option<DirectoryInfo?>("--resume") { Description = "continue a run directory from its checkpoints, whichever mode wrote it (its own spec.json; --steps may raise the steps)" };
        var cacheRoot = new Option<DirectoryInfo>("--cache-root")
        {
            Description = "cache of the demo data sets (npm-datasets/) and of the untrained demo backbone (demo-backbone/)",
            DefaultValueFactory = _ => new DirectoryInfo(".cache"),
        }.WritableDirectory();
        var threads = new Option<int?>("--threads") { Description = "libtorch intra-op threads (default: libtorch's)" }.InRange(1, 1024);
        var device = new Option<string?>("--device")
        {
            Description = $"with --in-process: {DeviceSelection.Names} (default cpu); a cluster's workers train on their Accept:Silo:Device",
        };
        foreach (var option in new Option[] { spec, inProcess, runsDir, resume, cacheRoot, threads, device }) command.Options.Add(option);
        var overrides = RunSpecOptions.AddTo(command);
        var cluster = ClusterTrainOptions.AddTo(command);

        // Synchronous on purpose: System.CommandLine kills an asynchronous action two seconds after Ctrl+C,
        // while a stopped run first finishes its step and writes a checkpoint (our own Ctrl+C handler).
        // Errors go to Program.cs (Errors/CliErrors): one line, exit code 2 for bad input, 1 for a failed run.
        command.SetAction(parse =>
        {
            if (!parse.GetValue(inProcess))
            {
                if (parse.GetValue(device) is { } d)
                    throw new SpecException($"--device {d} applies to --in-process; on a cluster each worker silo trains on its Accept:Silo:Device setting");
                using var stop = new StopSignal();
                return cluster.RunAsync(parse, parse.GetValue(spec)?.FullName, parse.GetValue(runsDir)!.FullName, parse.GetValue(cacheRoot)!.FullName,
                    s => overrides.Apply(s, parse), stop.Token, parse.GetValue(resume)?.FullName).GetAwaiter().GetResult();
            }
            var options = new InProcessOptions(parse.GetValue(spec)?.FullName, parse.GetValue(resume)?.FullName, parse.GetValue(runsDir)!.FullName,
                parse.GetValue(cacheRoot)!.FullName, parse.GetValue(threads), s => overrides.Apply(s, parse), parse.GetValue(device) ?? "cpu");
            return TrainInProcess(options);
        });
        return command;
    }

    /// <summary>What the in-process path needs from the command line.</summary>
    internal sealed record InProcessOptions(string? SpecFile, string? ResumeDirectory, string RunsDirectory, string CacheRoot, int? Threads,
        Func<RunSpec, RunSpec> ApplyOverrides, string Device = "cpu");

    internal static int TrainInProcess(InProcessOptions options)
    {
        TorchThreads.PreferPassiveWaiting();
        if (options.Threads is { } n) TorchThreads.Set(n);
        // Before any data or weights load: a CUDA request on a machine without CUDA ends here.
        var device = DeviceSelection.Resolve(options.Device, "--device");
        var log = new SyncProgress(m => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(m)}[/]"));
        var (spec, runName) = ReadSpec(options);
        if (spec.Backbone is null)
        {
            spec = spec with { Backbone = DemoBackbone.Ensure(options.CacheRoot, log) };
            AnsiConsole.MarkupLine("[yellow]No backbone given: using the untrained demo backbone (random weights).[/] The loss falls, but metrics stay near "
                + "the majority baseline; set \"backbone\" to a pretrained T5 such as t5-base for real results.");
        }
        RunContext.PrepareDemoData(spec, DemoBackbone.DatasetCache(options.CacheRoot), log);
        var context = RunContext.Load(spec, DemoBackbone.DatasetCache(options.CacheRoot), log);
        log.Report($"loading backbone {context.BackboneDirectory} on {device}");
        using var backbone = T5Model.Load(context.BackboneDirectory, device);

        using var stop = new StopSignal();
        using var point = options.ResumeDirectory is { } dir ? RunCheckpointReader.Open(dir).LoadResumePoint() : null;
        foreach (var note in point?.Notes ?? []) Console.Error.WriteLine($"warning: {note}");
        long? resumeStep = point?.Step;
        using var run = options.ResumeDirectory is { } path ? RunDirectory.Open(path, resumeStep) : RunDirectory.Create(options.RunsDirectory, runName);
        using var trainer = StartOrRemove(run, point is null, () => point is null
            ? MultiTaskTrainer.Start(context, backbone, run, device: device)
            : MultiTaskTrainer.Resume(context, backbone, run, point, device: device));
        var view = new TrainingView(context.TaskNames);
        trainer.Progress = view;
        if (resumeStep is { } s) log.Report($"resuming {run.Path} from step {s}");
        var summary = view.Show(() => trainer.Train(cancellation: stop.Token));
        PrintResults(summary, trainer);
        if (stop.IsStopRequested)
            AnsiConsole.MarkupLine($"[yellow]stopped at step {trainer.Step}[/]; continue with: accept train --in-process --resume {Markup.Escape(run.Path)}");
        Console.WriteLine(run.Path);
        return 0;
    }

    /// <summary>A new run directory whose trainer cannot start is removed again: a failed start leaves no stub behind.</summary>
    private static MultiTaskTrainer StartOrRemove(RunDirectory run, bool created, Func<MultiTaskTrainer> start)
    {
        try
        {
            return start();
        }
        catch when (created)
        {
            run.Dispose();
            Directory.Delete(run.Path, recursive: true);
            throw;
        }
    }

    private static (RunSpec Spec, string RunName) ReadSpec(InProcessOptions options)
    {
        if (options.ResumeDirectory is { } dir)
        {
            if (options.SpecFile is not null) throw new SpecException("--resume continues a run with its own spec.json; drop --spec");
            return (ResumeSpec.Read(dir, options.ApplyOverrides), Path.GetFileName(Path.GetFullPath(dir)));
        }
        var specFile = options.SpecFile ?? throw new SpecException("give --spec FILE (or --resume RUNDIR)");
        var spec = options.ApplyOverrides(RunSpecReader.Read(specFile));
        var name = UnsafeRunNameCharacters().Replace(Path.GetFileNameWithoutExtension(specFile), "-").Trim('-', '.', '_');
        return (spec, name.Length == 0 ? "run" : name);
    }

    private static void PrintResults(RunSummary summary, MultiTaskTrainer trainer)
    {
        var table = new Table().Title("results")
            .AddColumn("task").AddColumn("metric").AddColumn(new TableColumn("last").RightAligned()).AddColumn(new TableColumn("best (step)").RightAligned())
            .AddColumn(new TableColumn("majority").RightAligned()).AddColumn(new TableColumn("loss 1st").RightAligned()).AddColumn(new TableColumn("loss end").RightAligned())
            .AddColumn(new TableColumn("steps").RightAligned()).AddColumn(new TableColumn("skipped").RightAligned());
        table.Caption("majority: the metric of always answering the most common training target; loss 1st/end: mean of the first/last 10 steps");
        foreach (var (name, t) in summary.Tasks)
        {
            var session = trainer.Sessions[name];
            table.AddRow(Markup.Escape(name), t.MetricName, Format(session.LastMetric), t.BestMetric is { } b ? $"{b:F4} ({t.BestStep})" : "–",
                Format(t.MajorityBaseline), Format(t.InitialLoss), Format(t.FinalLoss), t.Steps.ToString(), t.SkippedSteps.ToString());
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"wall time {summary.WallTimeSeconds:F1} s, {summary.TokensPerSecond:F0} tokens/s; codebook versions: "
            + string.Join(", ", trainer.Groups.Select(g => $"{Markup.Escape(g.Key)} v{g.Value.Version}")));
    }

    private static string Format(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("F4") : "–";

    [GeneratedRegex("[^A-Za-z0-9._-]+")]
    private static partial Regex UnsafeRunNameCharacters();
}
