using Accept.Training.Tokenization.SentencePiece;
using Accept.Training.Tokenization.Training;

namespace Accept.Tests.Tokenization;

/// <summary>Our darts-clone writer and reader agree, and the reader finds what sentencepiece deletes.</summary>
[Trait("Category", "Fast")]
public sealed class CharsmapTests
{
    [Fact]
    public void Fixture_charsmap_deletes_exactly_the_nmt_nfkc_control_characters()
    {
        var model = SentencePieceModel.Parse(File.ReadAllBytes(TokenizerFixtures.ModelFile), "fixture");
        var deletions = CharsmapDeletions.From(model.PrecompiledCharsmap.Span, "fixture");
        // sentencepiece 0.1.97 drops these 30 code points (checked on every code point up to U+2FFFF).
        Assert.Equal(30, deletions.Count);
        Assert.Equal("ab\tc\n", deletions.Remove("a\u0001b\u007F\t\u009Fc\n"));
    }

    [Fact]
    public void Written_charsmap_reads_back_its_empty_replacements()
    {
        var blob = PrecompiledCharsmap.Build([(0x01, ""), (0x41, "a"), (0x200B, ""), (0x1F642, ""), (0xFB01, "fi")]);
        var deletions = CharsmapDeletions.From(blob, "built");
        Assert.Equal(3, deletions.Count);
        Assert.Equal("Afi", deletions.Remove("\u0001A\u200Bfi\U0001F642"));
    }

    [Theory]
    [InlineData("\u2581a\u2581\uFDD0\u2581b", "\u2581a\u2581b")] // a space after an empty replacement that followed a space is dropped
    [InlineData("\u2581\uFDD0\uFDD0\u2581a", "\u2581a")]
    [InlineData("\u2581a\u2581\uFDD0", "\u2581a")] // trailing spaces are trimmed after the markers go
    [InlineData("\u2581a\uFDD0\u2581b", "\u2581a\u2581b")]
    public void Unmark_applies_sentencepiece_whitespace_rules_to_empty_replacements(string normalized, string expected)
    {
        Assert.Equal(expected, CharsmapDeletions.Unmark(normalized, '\u2581', removeExtraWhitespaces: true));
    }

    [Fact]
    public void Truncated_charsmap_is_reported()
    {
        var e = Assert.Throws<InvalidDataException>(() => CharsmapDeletions.From(new byte[] { 0xFF, 0, 0, 0, 1 }, "m.model"));
        Assert.Contains("m.model", e.Message);
    }
}
