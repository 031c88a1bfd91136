using Accept.GrainInterfaces.Codebooks;
using Microsoft.Extensions.Logging;

namespace Accept.Grains.Diagnostics;

/// <summary>
/// The push journal: at Debug level, one log line per gradient push a codebook grain answered (task, step,
/// base version, outcome, resulting version, and the silo that sent it). Off by default (Information);
/// `accept bench chaos` turns it on for its silos and derives its figures from it (docs/reliability.md).
/// Nothing else reads it. As an outgoing filter it stamps a push with the sending silo's address
/// (<see cref="SenderKey"/> in the request context); as an incoming filter it journals the answer.
/// </summary>
public sealed class PushJournalFilter(ILogger<PushJournalFilter> logger, ILocalSiloDetails silo) : IIncomingGrainCallFilter, IOutgoingGrainCallFilter
{
    /// <summary>The text every journal line starts with; the chaos harness parses lines from it on.</summary>
    public const string Marker = "push-journal";

    /// <summary>The request-context key of the sending silo's address (ip:port@generation: one silo process).</summary>
    public const string SenderKey = "accept.push-journal.sender";

    /// <summary>Outgoing: a push to a codebook grain carries this silo's address, so the journal names who sent it.</summary>
    public Task Invoke(IOutgoingGrainCallContext context)
    {
        if (context.InterfaceMethod?.DeclaringType == typeof(ICodebookGrain) && logger.IsEnabled(LogLevel.Debug))
        {
            RequestContext.Set(SenderKey, silo.SiloAddress.ToParsableString());
        }
        return context.Invoke();
    }

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        // Single pushes and the per-silo batches of hierarchical aggregation: one line per member push either way.
        var pushes = context.InterfaceMethod?.DeclaringType != typeof(ICodebookGrain) || !logger.IsEnabled(LogLevel.Debug)
            ? null
            // By name first: the group's other methods (GetStatus, …) may have no argument at all.
            : context.InterfaceMethod.Name switch
            {
                nameof(ICodebookGrain.PushGradient) when context.Request.GetArgument(0) is GradientPush push => new[] { push },
                nameof(ICodebookGrain.PushBatch) when context.Request.GetArgument(0) is GradientBatch batch => batch.Members,
                _ => null,
            };
        if (pushes is null)
        {
            await context.Invoke();
            return;
        }
        var sender = RequestContext.Get(SenderKey) as string ?? "-";
        try
        {
            await context.Invoke();
        }
        catch (Exception e)
        {
            foreach (var push in pushes)
            {
                Write(context, push, "error", e.GetType().Name, -1, sender);
            }
            throw;
        }
        var results = context.Result switch
        {
            PushResult single => [single],
            BatchPushResult { Results: { } each } => each,
            _ => null, // a batch the group took none of: its members push on their own, and are journaled then
        };
        if (results is null)
        {
            return;
        }
        for (var i = 0; i < pushes.Count && i < results.Count; i++)
        {
            var result = results[i];
            // A Pending answer (the round is still open; the task pushes the same gradient again) is no acceptance:
            // counted as one, the push's final answer would look like the step applied twice.
            var outcome = result.Pending ? "pending" : result.Accepted ? "accepted" : "rejected";
            Write(context, pushes[i], outcome, result.Code.ToString(), result.Version, sender);
        }
    }

    private void Write(IIncomingGrainCallContext context, GradientPush push, string outcome, string code, long version, string sender) =>
        logger.LogDebug("{Marker} group={Group} task={Task} step={Step} base={Base} outcome={Outcome} code={Code} version={Version} from={Sender}",
            Marker, context.TargetId.Key.ToString(), push.TaskId, push.Step, push.BaseVersion, outcome, code, version, sender);
}
