using Accept.Training.Data;
using Accept.Training.Engine;
using TorchSharp;

namespace Accept.Tests.Engine;

[Trait("Category", "Fast")]
public class BatcherTests
{
    private static readonly WordTokenizer Tokenizer = new("a b c d e f yes no".Split(' '));

    [Fact]
    public void PadsInputsToExactlyLAndLabelsWithMinus100()
    {
        var batcher = new Batcher(Tokenizer, paddedLength: 6, maxInputLength: 4, maxTargetLength: 3);
        using var batch = batcher.Build([new Example("a b", "yes"), new Example("a b c d e f", "no no no no")]);
        Assert.Equal(new long[] { 2, 6 }, batch.InputIds.shape);
        // "a b" → a b </s>, padded; "a b c d e f" → truncated to 4 keeping EOS: a b c </s>.
        Assert.Equal(new long[] { 3, 4, 1, 0, 0, 0, 3, 4, 5, 1, 0, 0 }, batch.InputIds.data<long>().ToArray());
        Assert.Equal(new long[] { 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 0, 0 }, batch.AttentionMask.data<long>().ToArray());
        // targets: yes </s> (−100 after), no no </s> (truncated to 3).
        Assert.Equal(new long[] { 9, 1, -100, 10, 10, 1 }, batch.Labels.data<long>().ToArray());
        Assert.Equal(3 + 2 + 4 + 3, batch.Tokens);
        Assert.Equal(2, batch.Size);
    }

    [Fact]
    public void RejectsInputLengthBeyondL()
    {
        var e = Assert.Throws<ArgumentException>(() => new Batcher(Tokenizer, 6, 8, 3));
        Assert.Contains("max input length 8 exceeds the padded length l = 6", e.Message);
    }
}
