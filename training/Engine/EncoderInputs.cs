using Accept.Training.Prompts;
using Accept.Training.T5;
using static TorchSharp.torch;

namespace Accept.Training.Engine;

/// <summary>The ACCEPT encoder input: embeddings [P ; E + ΔE] of shape [B, m + l, d] and the mask with m ones prepended.</summary>
public static class EncoderInputs
{
    public static (Tensor Embeddings, Tensor Mask) Build(T5Model backbone, TaskAdapter adapter, IReadOnlyDictionary<string, Tensor> codebooks, TaskBatch batch)
    {
        using var section = StepBreakdown.Time(StepBreakdown.PromptComposition);
        var layout = adapter.Layout;
        if (batch.InputIds.shape[1] != layout.MaxLength)
            throw new ArgumentException($"task '{adapter.TaskName}': batch inputs have length {batch.InputIds.shape[1]}, expected exactly l = {layout.MaxLength}");
        if (backbone.Config.DModel != layout.DModel)
            throw new ArgumentException($"task '{adapter.TaskName}': prompts are for d_model {layout.DModel}, the backbone has {backbone.Config.DModel}");
        long b = batch.Size;
        var embedded = backbone.EmbedTokens(batch.InputIds); // [B, l, d]
        if (adapter.BuildAdded(codebooks) is { } delta) embedded = embedded + delta.unsqueeze(0);
        var prompt = adapter.BuildPrepended(codebooks).unsqueeze(0).expand(b, -1, -1); // [B, m, d]
        var embeddings = cat([prompt.to(embedded.dtype), embedded], 1);
        var mask = cat([ones(b, layout.PromptLength, dtype: batch.AttentionMask.dtype, device: batch.AttentionMask.device), batch.AttentionMask], 1);
        return (embeddings, mask);
    }
}
