using Accept.Training.Data;
using Accept.Training.Tokenization;
using static TorchSharp.torch;

namespace Accept.Training.Engine;

/// <summary>
/// Tokenises examples into a <see cref="TaskBatch"/>: inputs truncated to <see cref="MaxInputLength"/> and
/// padded to exactly <see cref="PaddedLength"/> (l, as the added prompt ΔE has l rows), targets truncated to
/// <see cref="MaxTargetLength"/>. Truncation keeps the final EOS, as Hugging Face's T5 tokenizer does.
/// </summary>
public sealed class Batcher
{
    public Batcher(ITextTokenizer tokenizer, int paddedLength, int maxInputLength, int maxTargetLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(paddedLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInputLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTargetLength, 1);
        if (maxInputLength > paddedLength)
            throw new ArgumentException($"max input length {maxInputLength} exceeds the padded length l = {paddedLength}");
        Tokenizer = tokenizer;
        PaddedLength = paddedLength;
        MaxInputLength = maxInputLength;
        MaxTargetLength = maxTargetLength;
    }

    public ITextTokenizer Tokenizer { get; }
    public int PaddedLength { get; }
    public int MaxInputLength { get; }
    public int MaxTargetLength { get; }

    public TaskBatch Build(IReadOnlyList<Example> examples)
    {
        if (examples.Count == 0) throw new ArgumentException("a batch needs at least one example");
        var inputs = examples.Select(e => Truncate(Tokenizer.Encode(e.Input), MaxInputLength)).ToList();
        var targets = examples.Select(e => Truncate(Tokenizer.Encode(e.Target), MaxTargetLength)).ToList();
        int b = examples.Count, l = PaddedLength, t = targets.Max(x => x.Length);

        var ids = new long[b * l];
        var mask = new long[b * l];
        var labels = new long[b * t];
        Array.Fill(ids, Tokenizer.PadId);
        Array.Fill(labels, -100L);
        long tokens = 0;
        for (int i = 0; i < b; i++)
        {
            for (int j = 0; j < inputs[i].Length; j++)
            {
                ids[i * l + j] = inputs[i][j];
                mask[i * l + j] = 1;
            }
            for (int j = 0; j < targets[i].Length; j++) labels[i * t + j] = targets[i][j];
            tokens += inputs[i].Length + targets[i].Length;
        }
        return new TaskBatch(tensor(ids, [b, l]), tensor(mask, [b, l]), tensor(labels, [b, t]), tokens);
    }

    private int[] Truncate(int[] ids, int max)
    {
        if (ids.Length <= max) return ids;
        var cut = ids[..max];
        if (ids[^1] == Tokenizer.EosId) cut[^1] = Tokenizer.EosId;
        return cut;
    }
}
