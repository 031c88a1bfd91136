using Accept.GrainInterfaces.Codebooks;
using Microsoft.Extensions.Logging;

namespace Accept.Grains.Diagnostics;

/// <summary>
/// The push journal: at Debug level, one log line per gradient push a codebook grain answered (task, step,
/// base version, outcome, resulting version). Off by default (Information); `accept bench chaos` turns it
/// on for its silos and derives its figures from it (docs/reliability.md). Nothing else reads it.
/// </summary>
public sealed class PushJournalFilter(ILogger<PushJournalFilter> logger) : IIncomingGrainCallFilter
{
    /// <summary>The text every journal line starts with; the chaos harness parses lines from it on.</summary>
    public const string Marker = "push-journal";

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod?.DeclaringType != typeof(ICodebookGrain) || !logger.IsEnabled(LogLevel.Debug))
        {
            await context.Invoke();
            return;
        }
        // One push, or a silo's batch of them (hierarchical aggregation): one line per task's push either way.
        var pushes = context.InterfaceMethod.Name switch
        {
            nameof(ICodebookGrain.PushGradient) when context.Request.GetArgument(0) is GradientPush push => [push],
            nameof(ICodebookGrain.PushBatch) when context.Request.GetArgument(0) is GradientBatch batch => batch.Members,
            _ => (IReadOnlyList<GradientPush>)[],
        };
        if (pushes.Count == 0)
        {
            await context.Invoke();
            return;
        }
        try
        {
            await context.Invoke();
        }
        catch (Exception e)
        {
            foreach (var push in pushes) Write(context, push, "error", e.GetType().Name, -1);
            throw;
        }
        IReadOnlyList<PushResult?> results = context.Result switch
        {
            PushResult single => [single],
            // A batch the group did not take (Results null): its members push again one by one and are logged then.
            BatchPushResult batch => batch.Results is { } each ? [.. each] : [],
            _ => [],
        };
        for (var i = 0; i < Math.Min(pushes.Count, results.Count); i++)
        {
            var result = results[i];
            Write(context, pushes[i], result?.Accepted == true ? "accepted" : "rejected", result?.Code.ToString() ?? "none", result?.Version ?? -1);
        }
    }

    private void Write(IIncomingGrainCallContext context, GradientPush push, string outcome, string code, long version) =>
        logger.LogDebug("{Marker} group={Group} task={Task} step={Step} base={Base} outcome={Outcome} code={Code} version={Version}",
            Marker, context.TargetId.Key.ToString(), push.TaskId, push.Step, push.BaseVersion, outcome, code, version);
}
