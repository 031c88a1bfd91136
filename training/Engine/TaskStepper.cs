using Accept.Training.Optim;
using Accept.Training.Prompts;
using Accept.Training.T5;
using TorchSharp;
using static TorchSharp.torch;

namespace Accept.Training.Engine;

/// <summary>
/// One training step of one task, the unit the in-process trainer and the task grain both run: forward
/// through the frozen backbone, backward, the task's own AdamW update, codebook gradients handed back.
/// </summary>
public static class TaskStepper
{
    /// <param name="codebooks">The group's codebooks at some version (live tensors or a snapshot); never modified.</param>
    /// <param name="computeCodebookGradients">False when the group is frozen: no codebook gradients are taken.</param>
    public static StepOutcome Step(T5Model backbone, TaskAdapter adapter, IReadOnlyDictionary<string, Tensor> codebooks, TaskBatch batch,
        float promptLr, float addedLr, bool computeCodebookGradients = true)
    {
        using var scope = NewDisposeScope();
        // Detached leaves: gradients land here, never on the owner's tensors.
        var leaves = codebooks.ToDictionary(c => c.Key, c => c.Value.detach().requires_grad_(computeCodebookGradients));
        var (embeddings, mask) = EncoderInputs.Build(backbone, adapter, leaves, batch);
        var decoderInputs = T5Model.ShiftRight(batch.Labels, backbone.Config.DecoderStartTokenId, backbone.Config.PadTokenId);
        var loss = T5Model.Loss(backbone.forward(embeddings, mask, decoderInputs), batch.Labels);
        float lossValue = loss.ToSingle();
        var empty = new Dictionary<string, Tensor>();
        if (!float.IsFinite(lossValue))
        {
            adapter.RecordSkip();
            return new StepOutcome(lossValue, empty, true, batch.Tokens);
        }

        var weightNames = adapter.Weights.Keys.ToList();
        var codebookNames = computeCodebookGradients ? leaves.Keys.ToList() : [];
        var targets = weightNames.Select(n => adapter.Weights[n]).Concat(codebookNames.Select(n => leaves[n])).ToList();
        IList<Tensor> grads;
        using (StepBreakdown.Time(StepBreakdown.Backward))
            grads = torch.autograd.grad([loss], targets);
        var weightGrads = weightNames.Select((n, i) => (n, g: grads[i])).ToDictionary(x => x.n, x => x.g);
        var codebookGrads = codebookNames.Select((n, i) => (n, g: grads[weightNames.Count + i])).ToDictionary(x => x.n, x => x.g);

        using var optimizer = StepBreakdown.Time(StepBreakdown.Optimizer);
        if (!GradientGuard.AllFinite(codebookGrads.Values) || !adapter.Apply(weightGrads, promptLr, addedLr))
        {
            if (GradientGuard.AllFinite(weightGrads.Values)) adapter.RecordSkip();
            return new StepOutcome(lossValue, empty, true, batch.Tokens);
        }
        var outgoing = codebookGrads.ToDictionary(g => g.Key, g => g.Value.detach().contiguous().clone().MoveToOuterDisposeScope());
        return new StepOutcome(lossValue, outgoing, false, batch.Tokens);
    }

    /// <summary>The batch's mean loss with the task's prompts, without gradients or updates (evaluation loss).</summary>
    public static float Loss(T5Model backbone, TaskAdapter adapter, IReadOnlyDictionary<string, Tensor> codebooks, TaskBatch batch)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (embeddings, mask) = EncoderInputs.Build(backbone, adapter, codebooks, batch);
        var decoderInputs = T5Model.ShiftRight(batch.Labels, backbone.Config.DecoderStartTokenId, backbone.Config.PadTokenId);
        return T5Model.Loss(backbone.forward(embeddings, mask, decoderInputs), batch.Labels).ToSingle();
    }

    /// <summary>Greedy decoding with the task's prompts: generated ids per example, without the start id and from EOS on.</summary>
    public static IReadOnlyList<int[]> Generate(T5Model backbone, TaskAdapter adapter, IReadOnlyDictionary<string, Tensor> codebooks, TaskBatch batch, int maxNewTokens)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (embeddings, mask) = EncoderInputs.Build(backbone, adapter, codebooks, batch);
        using var result = backbone.Generate(embeddings, mask, maxNewTokens);
        var rows = new List<int[]>();
        long n = result.Sequences.shape[1];
        // Reading elements needs CPU memory, whatever device decoded.
        var flat = result.Sequences.to_type(ScalarType.Int64).cpu().data<long>().ToArray();
        for (long i = 0; i < batch.Size; i++)
        {
            var row = flat.Skip((int)(i * n) + 1).Take((int)n - 1).Select(x => (int)x)
                .TakeWhile(x => x != backbone.Config.EosTokenId).ToArray();
            rows.Add(row);
        }
        return rows;
    }
}
