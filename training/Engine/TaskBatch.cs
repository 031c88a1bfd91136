using static TorchSharp.torch;

namespace Accept.Training.Engine;

/// <summary>
/// One task's batch: InputIds [B, l] (padded with pad to exactly l), AttentionMask [B, l] (1 on tokens),
/// Labels [B, T] (target ids, −100 beyond each target; T is the longest target in the batch).
/// <see cref="Tokens"/> counts real source and target tokens, for throughput.
/// </summary>
public sealed record TaskBatch(Tensor InputIds, Tensor AttentionMask, Tensor Labels, long Tokens) : IDisposable
{
    public long Size => InputIds.shape[0];

    /// <summary>The same batch on <paramref name="device"/> (a new batch; this one stays as it is).</summary>
    public TaskBatch To(Device device) => new(InputIds.to(device), AttentionMask.to(device), Labels.to(device), Tokens);

    public void Dispose()
    {
        InputIds.Dispose();
        AttentionMask.Dispose();
        Labels.Dispose();
    }
}
