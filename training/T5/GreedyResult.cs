using static TorchSharp.torch;

namespace Accept.Training.T5;

/// <summary>Greedy decoding output: Sequences [B,1+n] (starting with the decoder start id), Scores [B,n,V] (per-step logits).</summary>
public sealed record GreedyResult(Tensor Sequences, Tensor Scores) : IDisposable
{
    public void Dispose()
    {
        Sequences.Dispose();
        Scores.Dispose();
    }
}
