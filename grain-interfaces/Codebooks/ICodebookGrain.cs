namespace Accept.GrainInterfaces.Codebooks;

/// <summary>
/// Owns one codebook group's shared subspace codebooks and their optimizer state, aggregates the member
/// tasks' gradients and steps the optimizer. Key: <see cref="GrainKeys.Codebook"/> ("job/group").
/// </summary>
[Alias("accept.ICodebookGrain")]
public interface ICodebookGrain : IGrainWithStringKey
{
    /// <summary>Creates the group from the spec, or restores it from its last checkpoint; idempotent.</summary>
    [Alias("Initialize")]
    Task<CodebookStatus> Initialize(CodebookGroupSpec spec);

    /// <summary>
    /// Adds a task to the group's rounds (rejoining after a restart is allowed) and returns the current codebooks.
    /// <paramref name="epoch"/> names the joining task activation: pushes from its earlier epochs are refused from then on.
    /// </summary>
    [Alias("Join")]
    Task<CodebookSnapshot> Join(string taskId, Guid epoch = default);

    /// <summary>Removes a task from the rounds; an open sync round no longer waits for it.</summary>
    [Alias("Leave")]
    Task Leave(string taskId);

    /// <summary>The codebooks, or only the version when it equals <paramref name="sinceVersion"/>.</summary>
    [Alias("GetSnapshot")]
    Task<CodebookSnapshot> GetSnapshot(long sinceVersion);

    /// <summary>
    /// Offers a gradient. In sync mode the call completes when its round closes, or after a bounded wait with
    /// <see cref="PushResult.Pending"/> set (push the same gradient again to keep waiting; it is counted once).
    /// </summary>
    [Alias("PushGradient")]
    Task<PushResult> PushGradient(GradientPush push);

    /// <summary>Offers a silo's summed gradients (its aggregator, <c>Accept.Grains.Aggregation.SiloAggregator</c>); waits like <see cref="PushGradient"/> (every result pending after the bounded wait).</summary>
    [Alias("PushBatch")]
    Task<BatchPushResult> PushBatch(GradientBatch batch);

    /// <summary>Marks the group finished: later pushes are rejected with <see cref="PushRejectCode.Closed"/>. Idempotent; returns once the closed state is checkpointed.</summary>
    [Alias("Close")]
    Task Close();

    [Alias("GetStatus")]
    Task<CodebookStatus> GetStatus();
}
