using System.Globalization;
using System.Text.RegularExpressions;

namespace Accept.Training.Data.Paper;

/// <summary>The text clean-ups of T5's and DePT's preprocessors.</summary>
internal static partial class TextNormalization
{
    /// <summary>T5's _pad_punctuation: spaces around every character that is not a letter, digit, mark,
    /// underscore or space, then whitespace collapsed. Surrogate pairs stay together.</summary>
    public static string PadPunctuation(string text)
    {
        var padded = Punctuation().Replace(text, " $1 ");
        return Whitespace().Replace(padded, " ").Trim();
    }

    /// <summary>MultiRC's HTML: line breaks become spaces, bold tags vanish.</summary>
    public static string RemoveMarkup(string text) => BoldTag().Replace(text.Replace("<br>", " "), "");

    /// <summary>STS-B's score rounded to the nearest 0.2 and written with one decimal ("3.8"), as T5 does;
    /// numpy rounds half to even, and so does this.</summary>
    public static string RoundStsb(double score) =>
        (Math.Round(score * 5, MidpointRounding.ToEven) / 5).ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>T5's WSC marking: the span at word index <paramref name="wordIndex"/> gets
    /// <paramref name="mark"/> on both sides ("a * test * sentence"); text whose word there does not start
    /// with the span is left as it is, as in T5.</summary>
    public static string MarkSpan(string text, string span, int wordIndex, char mark)
    {
        var pattern = new Regex($@"^((?:\S+\s){{{wordIndex}}})({Regex.Escape(span)})");
        return pattern.Replace(text, $"${{1}}{mark} ${{2}} {mark}", 1);
    }

    [GeneratedRegex(@"(\p{Cs}\p{Cs}|[^_\s\p{N}\p{L}\p{M}\p{Cs}])")]
    private static partial Regex Punctuation();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex("</?b>")]
    private static partial Regex BoldTag();
}
