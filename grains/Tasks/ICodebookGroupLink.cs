using Accept.GrainInterfaces.Codebooks;
using Accept.GrainInterfaces.Tensors;

namespace Accept.Grains.Tasks;

/// <summary>A task activation's view of its codebook group (<see cref="CodebookLink"/> on the cluster).</summary>
public interface ICodebookGroupLink
{
    /// <summary>Joins (or takes back) the group under this activation; the answer carries the current codebooks.</summary>
    Task<CodebookSnapshot> Join();

    Task Leave();

    /// <summary>The group's codebooks; without tensors when they are still at <paramref name="sinceVersion"/>.</summary>
    Task<CodebookSnapshot> Snapshot(long sinceVersion);

    /// <summary>The push's final answer (never <see cref="PushResult.Pending"/>).</summary>
    Task<PushResult> Push(long baseVersion, long step, IReadOnlyDictionary<string, TensorPayload> gradients, bool skipped);
}
