using Accept.Training.Tokenization;

namespace Accept.Tests.Tokenization;

/// <summary>Where ML.Tokenizers differs from sentencepiece, the wrapper must behave like sentencepiece.</summary>
[Trait("Category", "Fast")]
public sealed class T5TokenizerBehaviourTests
{
    private static readonly T5Tokenizer Tokenizer = T5Tokenizer.Load(TokenizerFixtures.ModelFile);

    [Fact]
    public void A_run_of_unknown_characters_is_one_unk()
    {
        var ids = Tokenizer.Encode("日本語 é", addEos: false);
        Assert.Equal(2, ids.Count(id => id == Tokenizer.UnkId));
        Assert.DoesNotContain(ids.Zip(ids.Skip(1)), pair => pair.First == Tokenizer.UnkId && pair.Second == Tokenizer.UnkId);
    }

    [Fact]
    public void Control_characters_vanish_as_in_the_nmt_nfkc_normaliser()
    {
        // Values from sentencepiece 0.1.97: "x\u0001y" and "x\u007Fy" encode like "xy".
        var plain = Tokenizer.Encode("xy", addEos: false);
        Assert.Equal(plain, Tokenizer.Encode("x\u0001y", addEos: false));
        Assert.Equal(plain, Tokenizer.Encode("x\u007Fy", addEos: false));
        Assert.Equal(plain, Tokenizer.Encode("x\u009Fy", addEos: false));
        Assert.Empty(Tokenizer.Encode("\u0010", addEos: false));
    }

    [Theory]
    // Expected ids from sentencepiece 0.1.97 on the fixture model.
    [InlineData("I\u001E\u0301x", new[] { 3, 45, 2, 208 })] // the deleted character keeps I and U+0301 apart
    [InlineData("I\u0301x", new[] { 3, 2, 208 })]
    [InlineData("a \u0001 b", new[] { 11, 188 })]
    [InlineData("\u0001 a", new[] { 11 })]
    [InlineData("a \u0001", new[] { 11 })]
    [InlineData("a\u0001 \u0001b", new[] { 11, 188 })]
    public void Deleted_characters_act_as_empty_text_within_the_whitespace_rules(string text, int[] expected)
    {
        Assert.Equal(expected, Tokenizer.Encode(text, addEos: false));
    }

    [Fact]
    public void Decode_drops_pad_and_eos_and_renders_unk_as_sentencepiece_does()
    {
        var the = Tokenizer.Encode("the", addEos: false);
        Assert.Equal("the the", Tokenizer.Decode([0, .. the, 1, .. the, 1, 0]));
        Assert.Equal(" \u2047  the", Tokenizer.Decode([Tokenizer.UnkId, .. the]));
    }

    [Fact]
    public void Decode_renders_ids_past_the_pieces_as_t5_sentinels_and_rejects_negative_ids()
    {
        var the = Tokenizer.Encode("the", addEos: false);
        Assert.Equal("the<extra_id_99>", Tokenizer.Decode([.. the, 512]));
        Assert.Equal("<extra_id_0>", Tokenizer.Decode([611]));
        Assert.Equal(" \u2047 ", Tokenizer.Decode([612]));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Tokenizer.Decode([5, -100]));
        Assert.Contains("-100", e.Message);
    }

    [Fact]
    public void Vocabulary_check_names_both_paths_when_the_tokenizer_is_larger_than_the_model()
    {
        TokenizerChecks.EnsureFitsModel(Tokenizer, 512, "tok", "model");
        TokenizerChecks.EnsureFitsModel(Tokenizer, 600, "tok", "model");
        var e = Assert.Throws<InvalidDataException>(() => TokenizerChecks.EnsureFitsModel(Tokenizer, 500, "/x/spiece.model", "/m/dir"));
        Assert.Contains("/x/spiece.model", e.Message);
        Assert.Contains("/m/dir", e.Message);
        Assert.Contains("512", e.Message);
    }
}
