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
        if (context.InterfaceMethod?.DeclaringType != typeof(ICodebookGrain)
            || context.InterfaceMethod.Name != nameof(ICodebookGrain.PushGradient)
            || !logger.IsEnabled(LogLevel.Debug)
            || context.Request.GetArgument(0) is not GradientPush push)
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
            Write(context, push, "error", e.GetType().Name, -1);
            throw;
        }
        var result = context.Result as PushResult;
        // A Pending answer (the round is still open; the task pushes the same gradient again) is no acceptance:
        // counted as one, the push's final answer would look like the step applied twice.
        var outcome = result is { Pending: true } ? "pending" : result?.Accepted == true ? "accepted" : "rejected";
        Write(context, push, outcome, result?.Code.ToString() ?? "none", result?.Version ?? -1);
    }

    private void Write(IIncomingGrainCallContext context, GradientPush push, string outcome, string code, long version) =>
        logger.LogDebug("{Marker} group={Group} task={Task} step={Step} base={Base} outcome={Outcome} code={Code} version={Version}",
            Marker, context.TargetId.Key.ToString(), push.TaskId, push.Step, push.BaseVersion, outcome, code, version);
}
