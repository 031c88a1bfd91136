using System.CommandLine;
using Accept.Client.Cluster;
using Accept.GrainInterfaces.Jobs;
using Spectre.Console;

namespace Accept.Client.Commands;

/// <summary>`accept status [--job ID] [--watch]`: a job's tasks on a running cluster; --watch refreshes until it ends.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var job = new Option<string?>("--job") { Description = "Job id (printed by `accept train`); default: the last job submitted from this account" };
        var watch = new Option<bool>("--watch") { Description = "Refresh until the job completes, fails or is cancelled" };
        var json = new Option<bool>("--json") { Description = "Print the job as one JSON object (with --watch: once it has ended): {\"job\", \"state\", \"tasks\": [{\"name\", \"state\", \"step\", \"steps\", \"silo\", \"loss\", \"metric\", \"codebook_version\"}]}" };
        var command = new Command("status", "Show a job's tasks on a running cluster (default gateway 127.0.0.1:30000)") { job, watch, json };
        var cluster = ClusterFlags.AddTo(command);
        command.SetAction((parse, cancel) => ClusterErrors.ReportAsync(async () =>
        {
            var jobId = LastJob.Resolve(parse.GetValue(job));
            var console = ClientConsole.Create();
            await using var connection = await ClusterConnection.ConnectAsync(cluster.ResolveOrLocal(parse), cancel);
            var watcher = new JobWatcher(connection.Client, jobId);
            var status = await JobWatcher.RequireSubmittedAsync(watcher.Job, connection.Description);
            if (parse.GetValue(watch) && !JobWatcher.IsFinal(status.State))
            {
                // Ctrl-C stops watching; it does not cancel the job (that is `accept cancel`).
                try
                {
                    status = parse.GetValue(json)
                        ? await watcher.WatchAsync(run: null, _ => { }, cancel, cancelJobOnStop: false)
                        : await ClusterTraining.ShowLiveAsync(console, watcher, run: null, cancel, cancelJobOnStop: false);
                }
                catch (OperationCanceledException)
                {
                    return 130;
                }
            }
            if (parse.GetValue(json))
            {
                Console.WriteLine(JobStatusJson.Write(status));
            }
            else
            {
                console.Write(JobStatusTable.Build(status));
            }
            return status.State == JobState.Failed ? 1 : 0;
        }));
        return command;
    }
}
