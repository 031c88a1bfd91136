namespace Accept.GrainInterfaces.Codebooks;

/// <summary>A codebook group's state for status displays.</summary>
/// <param name="Version">Bumped by every optimizer step of the group.</param>
/// <param name="AppliedGradients">Task gradients taken into an update since the group started (each task step counted once, across restarts).</param>
/// <param name="Mode">The group's aggregation mode as the run spec spells it ("sync" or "async"; the type is <c>Accept.Training.Config.AggregationMode</c>).</param>
/// <param name="Rounds">Sync rounds closed (async: gradients applied), including rounds that did not step the optimizer.</param>
/// <param name="LastSteps">Per member task, the last task step whose gradient was taken; a push at or below it is a duplicate.</param>
/// <param name="GradientBytesIn">Gradient bytes the push calls carried in (a silo's exact sum: float64 heads and parts), for `bench scale`'s bytes per round.</param>
[GenerateSerializer, Immutable]
[Alias("accept.CodebookStatus")]
public sealed record CodebookStatus(
    [property: Id(0)] string Group,
    [property: Id(1)] long Version,
    [property: Id(2)] string Mode,
    [property: Id(3)] IReadOnlyList<string> Members,
    [property: Id(4)] int PendingPushes,
    [property: Id(5)] long AcceptedPushes,
    [property: Id(6)] long RejectedPushes,
    [property: Id(7)] bool Closed,
    [property: Id(8)] long AppliedGradients,
    [property: Id(9)] long Rounds,
    [property: Id(10)] IReadOnlyDictionary<string, long> LastSteps,
    [property: Id(11)] long PushCalls = 0,
    [property: Id(12)] double BusySeconds = 0,
    [property: Id(13)] long GradientBytesIn = 0);
