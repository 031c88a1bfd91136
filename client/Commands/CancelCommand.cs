using System.CommandLine;
using Accept.Client.Cluster;
using Accept.GrainInterfaces.Jobs;
using Spectre.Console;

namespace Accept.Client.Commands;

/// <summary>`accept cancel --job ID`: cancels every task of a job on a running cluster and closes its codebook groups.</summary>
internal static class CancelCommand
{
    public static Command Create()
    {
        var job = new Option<string?>("--job") { Description = "Job id (printed by `accept train`); default: the last job submitted from this account" };
        var command = new Command("cancel", "Cancel a job on a running cluster (default gateway 127.0.0.1:30000)") { job };
        var cluster = ClusterFlags.AddTo(command);
        command.SetAction((parse, cancel) => ClusterErrors.ReportAsync(async () =>
        {
            var jobId = LastJob.Resolve(parse.GetValue(job));
            var console = ClientConsole.Create();
            await using var connection = await ClusterConnection.ConnectAsync(cluster.ResolveOrLocal(parse), cancel);
            var grain = connection.Client.GetGrain<IJobGrain>(jobId);
            var before = await JobWatcher.RequireSubmittedAsync(grain, connection.Description);
            if (JobWatcher.IsFinal(before.State))
            {
                console.MarkupLine($"job [bold]{Markup.Escape(jobId)}[/] had already ended: {JobStatusTable.StateMarkup(before.State)}");
                return 0;
            }
            var after = await grain.Cancel();
            console.Write(JobStatusTable.Build(after));
            return 0;
        }));
        return command;
    }
}
