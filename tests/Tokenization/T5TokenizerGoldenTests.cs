using Accept.Training.Tokenization;

namespace Accept.Tests.Tokenization;

/// <summary>Ids and decoded text must equal the sentencepiece library's for every golden case.</summary>
[Trait("Category", "Fast")]
public sealed class T5TokenizerGoldenTests
{
    private static readonly T5Tokenizer Tokenizer = T5Tokenizer.Load(TokenizerFixtures.Directory);
    private static readonly IReadOnlyList<TokenizerFixtures.GoldenCase> Cases = TokenizerFixtures.GoldenCases();

    public static TheoryData<int> CaseIndices => TokenizerFixtures.GoldenCaseIndices();

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void Encode_without_eos_equals_sentencepiece(int index)
    {
        var golden = Cases[index];
        Assert.Equal(golden.Ids, Tokenizer.Encode(golden.Text, addEos: false));
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void Encode_with_eos_equals_what_t5_feeds_the_model(int index)
    {
        var golden = Cases[index];
        Assert.Equal(golden.IdsWithEos, Tokenizer.Encode(golden.Text));
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void Decode_equals_sentencepiece(int index)
    {
        var golden = Cases[index];
        Assert.Equal(golden.Decoded, Tokenizer.Decode(golden.IdsWithEos));
    }

    [Fact]
    public void Golden_file_has_the_expected_cases()
    {
        Assert.Equal(14, Cases.Count);
    }

    [Fact]
    public void Special_ids_come_from_the_trainer_spec()
    {
        Assert.Equal((0, 1, 2, 512), (Tokenizer.PadId, Tokenizer.EosId, Tokenizer.UnkId, Tokenizer.VocabSize));
        Assert.Equal(-1, Tokenizer.Model.BosId);
    }
}
