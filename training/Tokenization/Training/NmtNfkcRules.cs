using System.Globalization;
using System.Text;

namespace Accept.Training.Tokenization.Training;

/// <summary>
/// A code-point-wise subset of sentencepiece's nmt_nfkc rules: control characters and zero-width marks
/// removed, every kind of whitespace made a plain space, and the NFKC folds that matter for English-like
/// text (full-width forms, ligatures, super/subscripts, ellipsis, fractions). A table of our own because
/// the product runs with invariant globalization, where .NET's string.Normalize does not fold non-ASCII.
/// The builder both normalises its corpus with these rules and writes them into the model's precompiled
/// charsmap, so training and tokenization agree.
/// </summary>
internal static class NmtNfkcRules
{
    public const string Name = "nmt_nfkc";

    /// <summary>What <paramref name="codePoint"/> becomes, or null when it stays as it is.</summary>
    public static string? Map(int codePoint)
    {
        if (codePoint is 0x200B or 0x200C or 0x200D or 0x2060 or 0xFEFF or 0x00AD)
            return "";
        // U+2581 is the escaped space itself; nmt_nfkc makes a literal one a space too.
        if (codePoint is '\t' or '\n' or '\r' or '\f' or 0x0085 or 0x2028 or 0x2029 or 0x2581)
            return " ";
        if (codePoint < 0x20 || codePoint is >= 0x7F and <= 0x9F)
            return codePoint == 0 ? null : "";
        if (codePoint is >= 0xD800 and <= 0xDFFF)
            return null;
        if (Rune.GetUnicodeCategory(new Rune(codePoint)) is UnicodeCategory.SpaceSeparator && codePoint != ' ')
            return " ";
        return codePoint switch
        {
            >= 0xFF01 and <= 0xFF5E => char.ConvertFromUtf32(codePoint - 0xFF01 + '!'), // full-width ASCII
            >= 0x2074 and <= 0x2079 => ((char)(codePoint - 0x2074 + '4')).ToString(),
            >= 0x2080 and <= 0x2089 => ((char)(codePoint - 0x2080 + '0')).ToString(),
            0x00B9 => "1",
            0x00B2 => "2",
            0x00B3 => "3",
            0x2070 => "0",
            0x2071 => "i",
            0x207F => "n",
            0x207A or 0x208A => "+",
            0x207B or 0x208B => "\u2212",
            0x207C or 0x208C => "=",
            0x207D or 0x208D => "(",
            0x207E or 0x208E => ")",
            0xFB00 => "ff",
            0xFB01 => "fi",
            0xFB02 => "fl",
            0xFB03 => "ffi",
            0xFB04 => "ffl",
            0xFB05 or 0xFB06 => "st",
            0x2024 => ".",
            0x2025 => "..",
            0x2026 => "...",
            0x2122 => "TM",
            0x2120 => "SM",
            0x00AA => "a",
            0x00BA => "o",
            0x00B5 => "\u03BC",
            0x00BC => "1\u20444",
            0x00BD => "1\u20442",
            0x00BE => "3\u20444",
            _ => null,
        };
    }

    /// <summary>Every code point the rules change (all lie in the Basic Multilingual Plane).</summary>
    public static IEnumerable<(int CodePoint, string Replacement)> All()
    {
        for (var cp = 1; cp <= 0xFFFF; cp++)
        {
            if (cp is >= 0xD800 and <= 0xDFFF)
                continue;
            if (Map(cp) is { } replacement)
                yield return (cp, replacement);
        }
    }

    /// <summary>The text sentencepiece's normaliser would produce: mapped, spaces collapsed and trimmed.</summary>
    public static string Normalize(string text)
    {
        var mapped = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (Map(rune.Value) is { } replacement)
                mapped.Append(replacement);
            else
                mapped.Append(rune.ToString());
        }
        return string.Join(' ', mapped.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}
