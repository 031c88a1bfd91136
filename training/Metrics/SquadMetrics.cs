using System.Text;
using System.Text.RegularExpressions;

namespace Accept.Training.Metrics;

/// <summary>Exact match and token F1 of extractive QA answers, as the SQuAD v1.1 / MRQA evaluation scripts compute them.</summary>
public static partial class SquadMetrics
{
    /// <summary>Lower-case, drop ASCII punctuation, drop the articles a/an/the, collapse whitespace.</summary>
    public static string Normalize(string text)
    {
        var lower = text.ToLowerInvariant();
        var withoutPunctuation = new StringBuilder(lower.Length);
        foreach (var c in lower)
        {
            if (!IsAsciiPunctuation(c))
                withoutPunctuation.Append(c);
        }
        var withoutArticles = Articles().Replace(withoutPunctuation.ToString(), " ");
        return string.Join(' ', withoutArticles.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>1 when the normalised prediction equals any normalised answer, else 0.</summary>
    public static double ExactMatch(string prediction, IReadOnlyList<string> answers)
    {
        MetricArguments.CheckAnswers(answers);
        var normalized = Normalize(prediction);
        return answers.Any(a => Normalize(a) == normalized) ? 1 : 0;
    }

    /// <summary>The best bag-of-tokens F1 of the prediction against any answer.</summary>
    public static double TokenF1(string prediction, IReadOnlyList<string> answers)
    {
        MetricArguments.CheckAnswers(answers);
        var predicted = Tokens(prediction);
        return answers.Max(a => TokenF1(predicted, Tokens(a)));
    }

    private static double TokenF1(string[] predicted, string[] gold)
    {
        var goldCounts = gold.CountBy(t => t, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
        var same = 0;
        foreach (var token in predicted)
        {
            if (goldCounts.TryGetValue(token, out var left) && left > 0)
            {
                same++;
                goldCounts[token] = left - 1;
            }
        }
        if (same == 0)
            return 0;
        var precision = (double)same / predicted.Length;
        var recall = (double)same / gold.Length;
        return 2 * precision * recall / (precision + recall);
    }

    /// <summary>Python's string.punctuation: the printable ASCII characters that are neither letters, digits nor space.</summary>
    private static bool IsAsciiPunctuation(char c) => c is (>= '!' and <= '/') or (>= ':' and <= '@') or (>= '[' and <= '`') or (>= '{' and <= '~');

    private static string[] Tokens(string text) => Normalize(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [GeneratedRegex(@"\b(a|an|the)\b")]
    private static partial Regex Articles();
}
