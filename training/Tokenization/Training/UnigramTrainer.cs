namespace Accept.Training.Tokenization.Training;

/// <summary>
/// Learns a unigram vocabulary from word counts (words carry their ▁ prefix): seed with every character
/// and the most frequent substrings, then alternate hard EM (Viterbi counts → log-probabilities) with
/// pruning of the least used multi-character pieces until the vocabulary fits the budget. Large corpora
/// are bounded: substrings are seeded from the 50,000 and EM runs on the 200,000 most frequent words.
/// </summary>
internal static class UnigramTrainer
{
    private const int MaxPieceLength = 16;
    private const int SeedWords = 50_000;
    private const int EmWords = 200_000;
    private const double PruneFactor = 0.75;
    private const int SeedsPerPiece = 8;

    /// <returns>Pieces with log-probability scores, most likely first.</returns>
    public static IReadOnlyList<(string Piece, float Score)> Train(IReadOnlyDictionary<string, long> wordCounts, int budget)
    {
        var words = wordCounts.OrderByDescending(w => w.Value).ThenBy(w => w.Key, StringComparer.Ordinal)
            .Take(EmWords).Select(w => (CodePoints: ToCodePoints(w.Key), Count: (double)w.Value)).ToList();

        var characters = Characters(words, budget);
        var seeds = Seeds(words.Take(SeedWords), characters.Count, budget);
        var pieces = characters.Select(c => new[] { c.CodePoint }).Concat(seeds.Select(s => s.CodePoints)).ToList();
        var counts = characters.Select(c => (double)c.Count).Concat(seeds.Select(s => (double)s.Count)).ToList();
        var charCount = characters.Count;

        while (true)
        {
            for (var iteration = 0; iteration < 2; iteration++)
                counts = [.. ViterbiCounts(words, pieces, ToLogProbs(counts))];

            // Multi-character pieces the segmentations still use; unused ones are dropped.
            var used = Enumerable.Range(charCount, pieces.Count - charCount).Where(p => counts[p] > 0).ToList();
            var target = budget - charCount;
            var keep = used.Count <= target ? used.Count : Math.Max(target, (int)(used.Count * PruneFactor));
            var kept = used.OrderByDescending(p => counts[p]).ThenBy(p => p).Take(keep).Order().ToList();
            pieces = [.. pieces.Take(charCount), .. kept.Select(p => pieces[p])];
            counts = [.. counts.Take(charCount), .. kept.Select(p => counts[p])];
            if (used.Count <= target)
                break;
        }
        var scores = ToLogProbs(counts);
        return Enumerable.Range(0, pieces.Count)
            .Select(p => (Piece: FromCodePoints(pieces[p]), Score: (float)scores[p]))
            .OrderByDescending(p => p.Score).ThenBy(p => p.Piece, StringComparer.Ordinal)
            .ToList();
    }

    private static List<(int CodePoint, long Count)> Characters(List<(int[] CodePoints, double Count)> words, int budget)
    {
        var counts = new Dictionary<int, long>();
        foreach (var (cps, count) in words)
        {
            foreach (var cp in cps)
                counts[cp] = counts.GetValueOrDefault(cp) + (long)count;
        }
        // Characters beyond the budget (the rarest) are left to <unk>.
        return counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key).Take(budget)
            .Select(c => (c.Key, c.Value)).ToList();
    }

    private static List<(int[] CodePoints, long Count)> Seeds(IEnumerable<(int[] CodePoints, double Count)> words, int charCount, int budget)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (cps, count) in words)
        {
            for (var i = 0; i < cps.Length; i++)
            {
                for (var len = 2; len <= MaxPieceLength && i + len <= cps.Length; len++)
                {
                    var key = FromCodePoints(cps.AsSpan(i, len));
                    counts[key] = counts.GetValueOrDefault(key) + (long)count;
                }
            }
        }
        var seedCount = Math.Max(0, budget - charCount) * SeedsPerPiece;
        return counts.Where(c => c.Value >= 2)
            .OrderByDescending(c => c.Value * ToCodePoints(c.Key).Length).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Take(seedCount).Select(c => (ToCodePoints(c.Key), c.Value)).ToList();
    }

    private static double[] ViterbiCounts(List<(int[] CodePoints, double Count)> words, List<int[]> pieces, double[] scores)
    {
        var lattice = new PieceLattice(pieces, scores);
        var counts = new double[pieces.Count];
        foreach (var (cps, count) in words)
            lattice.Count(cps, count, counts);
        return counts;
    }

    /// <summary>Log-probabilities; unused pieces get a score below every used one so they stay reachable.</summary>
    private static double[] ToLogProbs(IReadOnlyList<double> counts)
    {
        var total = counts.Sum();
        var floor = Math.Log(0.5 / Math.Max(total, 1));
        return counts.Select(c => c > 0 ? Math.Log(c / total) : floor).ToArray();
    }

    private static int[] ToCodePoints(string s)
    {
        var result = new List<int>(s.Length);
        foreach (var rune in s.EnumerateRunes())
            result.Add(rune.Value);
        return [.. result];
    }

    private static string FromCodePoints(ReadOnlySpan<int> cps)
    {
        var sb = new System.Text.StringBuilder(cps.Length);
        foreach (var cp in cps)
            sb.Append(char.ConvertFromUtf32(cp));
        return sb.ToString();
    }
}
