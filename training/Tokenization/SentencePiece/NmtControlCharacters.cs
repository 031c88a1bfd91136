namespace Accept.Training.Tokenization.SentencePiece;

/// <summary>
/// The characters sentencepiece's nmt_nfkc rules map to nothing. ML.Tokenizers 2.0.1 keeps them (each
/// becomes an extra &lt;unk&gt;), so they are removed before its normaliser runs. The set was checked against
/// sentencepiece 0.1.97 on every code point up to U+2FFFF: these 30 were the only differences.
/// </summary>
internal static class NmtControlCharacters
{
    public static bool AppliesTo(SentencePieceModel model) =>
        model.NormalizationRuleName.StartsWith("nmt_nfkc", StringComparison.Ordinal);

    public static bool IsDropped(char c) =>
        c is (>= '\u0001' and <= '\u0008') or '\u000B' or (>= '\u000E' and <= '\u001F') or '\u007F' or '\u008F' or '\u009F';

    public static string Remove(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\u0001', '\u009F') || !text.Any(IsDropped))
            return text;
        return string.Concat(text.Where(c => !IsDropped(c)));
    }
}
