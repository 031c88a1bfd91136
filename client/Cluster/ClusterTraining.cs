using Accept.GrainInterfaces.Jobs;
using Accept.Training.Checkpointing;
using Accept.Training.Checkpointing.Store;
using Accept.Training.Config;
using Accept.Training.Runs;
using Spectre.Console;

namespace Accept.Client.Cluster;

/// <summary>
/// `accept train` on a cluster (a running one, or an embedded one started for the run): submits the spec to
/// a job grain, shows the tasks live, and writes the same run directory as `--in-process` — metrics.jsonl
/// from the task grains' metric points, summary.json from the job's results, curves.png, the resolved spec.
/// Cancelling <paramref name="cancel"/> (Ctrl-C) cancels the job on the cluster and still writes what it has.
/// </summary>
public static class ClusterTraining
{
    public static async Task<ClusterTrainingOutcome> RunAsync(ClusterTrainingRequest request, IAnsiConsole console, CancellationToken cancel)
    {
        var spec = RunSpecAbsolutePaths.WithAbsolutePaths(request.Spec);
        if (spec.Backbone is null)
        {
            throw new SpecException("backbone: a cluster run needs a backbone directory (the spec's \"backbone\" key)");
        }
        var specJson = RunSpecWriter.ToJson(spec);
        // A resumed run continues in its own directory as a new job seeded from its checkpoints.
        var resumeFrom = request.ResumeDirectory is { } dir ? RunCheckpointReader.Open(dir) : null;
        using var point = resumeFrom?.LoadResumePoint();
        foreach (var note in point?.Notes ?? [])
        {
            Console.Error.WriteLine($"warning: {note}");
        }
        // A short random suffix keeps job ids unique on a shared cluster even for runs started in the same second.
        using var run = resumeFrom is not null
            ? RunDirectory.Open(resumeFrom.RunDirectory, point!.Step)
            : RunDirectory.Create(request.RunsRoot, $"{JobNames.RunName(request.RunName)}-{Guid.NewGuid().ToString("N")[..4]}");
        var jobId = resumeFrom is not null ? ResumeSeed.NextJobId(resumeFrom.Location.Job) : JobNames.JobId(run.Name);
        LastJob.Record(jobId);
        await File.WriteAllTextAsync(Path.Combine(run.Path, "spec.json"), specJson, CancellationToken.None);

        await using var session = request.Target is { } target
            ? (IClusterSession)await ClusterConnection.ConnectAsync(target, cancel)
            : await EmbeddedCluster.StartAsync(new EmbeddedClusterOptions(run.CheckpointsPath, request.EmbeddedSilos, request.TorchThreads), cancel);
        console.MarkupLine($"job [bold]{Markup.Escape(jobId)}[/] on {Markup.Escape(session.Description)}");
        console.MarkupLine($"[grey]run directory {Markup.Escape(run.Path)}; Ctrl-C cancels the job[/]");

        var watcher = new JobWatcher(session.Client, jobId);
        var store = await watcher.Job.GetCheckpointStore();
        var location = RunCheckpointLocation.Of(new CheckpointStoreLocation(Enum.Parse<CheckpointStoreKind>(store.Kind), store.Root, store.Container), jobId, run.Path);
        if (point is not null)
        {
            console.MarkupLine($"[grey]resuming from step {point.Step} as job {Markup.Escape(jobId)}[/]");
            await ResumeSeed.WriteAsync(point, resumeFrom!, location.OpenStore(run.Path), jobId, cancel);
        }
        location.Write(run.Path);
        var submitted = await watcher.SubmitAsync(new JobSubmission(specJson, $"{Environment.UserName}@{Environment.MachineName}"),
            line => console.MarkupLine($"[yellow]{Markup.Escape(line)}[/]"), cancel);
        if (submitted.State == JobState.Failed)
        {
            throw new SpecException($"the cluster rejected the run: {submitted.Error}");
        }
        var final = await ShowLiveAsync(console, watcher, run, cancel);

        var results = await watcher.Job.GetResults();
        var summary = RunSummaries.FromResults(run.Name, results, watcher.Tasks);
        if (final.State == JobState.Completed)
        {
            summary = RunSummaries.WithTestMetrics(summary, run.Path, spec, warning => console.MarkupLine($"[yellow]{Markup.Escape(warning)}[/]"));
        }
        run.WriteSummary(summary);
        if (watcher.Tasks.Values.Any(t => t.Points > 0))
        {
            run.WritePlot();
        }
        console.Write(JobResultsTable.Build(results));
        if (final.Error is { } error)
        {
            console.MarkupLine($"[red]{Markup.Escape(error)}[/]");
        }
        return new ClusterTrainingOutcome(jobId, run.Path, final.State, results, final.Error);
    }

    /// <summary>A live table on a terminal; elsewhere a line per task every few seconds, so logs stay readable.</summary>
    internal static async Task<JobStatus> ShowLiveAsync(IAnsiConsole console, JobWatcher watcher, RunDirectory? run, CancellationToken cancel, bool cancelJobOnStop = true)
    {
        if (console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi)
        {
            JobStatus? last = null;
            await console.Live(new Text("submitting…")).AutoClear(false).StartAsync(async context =>
            {
                last = await watcher.WatchAsync(run, status =>
                {
                    context.UpdateTarget(JobStatusTable.Build(status));
                    context.Refresh();
                }, cancel, cancelJobOnStop);
            });
            return last!;
        }
        var printed = DateTime.MinValue;
        return await watcher.WatchAsync(run, status =>
        {
            if (JobWatcher.IsFinal(status.State) || DateTime.UtcNow - printed > TimeSpan.FromSeconds(5))
            {
                printed = DateTime.UtcNow;
                foreach (var line in JobStatusTable.Lines(status))
                {
                    console.WriteLine(line);
                }
            }
        }, cancel, cancelJobOnStop);
    }
}
