namespace Accept.Training.Tokenization.Training;

/// <summary>
/// Viterbi segmentation of words (code-point arrays) into the highest-scoring sequence of pieces, the
/// unigram model's E-step in hard form. Code points no piece covers are skipped at a penalty, as unk.
/// </summary>
internal sealed class PieceLattice
{
    private sealed class Node
    {
        public Dictionary<int, Node>? Children;
        public int Piece = -1;
    }

    private readonly Node _root = new();
    private readonly double[] _scores;
    private readonly double _unknownScore;

    /// <param name="pieces">Pieces as code points, with their log-probabilities.</param>
    public PieceLattice(IReadOnlyList<int[]> pieces, IReadOnlyList<double> scores)
    {
        _scores = [.. scores];
        // sentencepiece penalises unknown characters by 10 below the least likely piece.
        _unknownScore = (_scores.Length == 0 ? 0 : _scores.Min()) - 10;
        for (var p = 0; p < pieces.Count; p++)
        {
            var node = _root;
            foreach (var cp in pieces[p])
            {
                node.Children ??= [];
                if (!node.Children.TryGetValue(cp, out var child))
                    node.Children[cp] = child = new Node();
                node = child;
            }
            node.Piece = p;
        }
    }

    /// <summary>Adds <paramref name="weight"/> to the count of every piece in the best segmentation of <paramref name="word"/>.</summary>
    public void Count(int[] word, double weight, double[] counts)
    {
        var n = word.Length;
        var best = new double[n + 1];
        var from = new int[n + 1];
        var piece = new int[n + 1];
        Array.Fill(best, double.NegativeInfinity);
        best[0] = 0;
        for (var i = 0; i < n; i++)
        {
            if (double.IsNegativeInfinity(best[i]))
                continue;
            Relax(best, from, piece, i, i + 1, -1, best[i] + _unknownScore);
            var node = _root;
            for (var j = i; j < n && node.Children is not null && node.Children.TryGetValue(word[j], out node); j++)
            {
                if (node.Piece >= 0)
                    Relax(best, from, piece, i, j + 1, node.Piece, best[i] + _scores[node.Piece]);
            }
        }
        for (var end = n; end > 0; end = from[end])
        {
            if (piece[end] >= 0)
                counts[piece[end]] += weight;
        }
    }

    private static void Relax(double[] best, int[] from, int[] piece, int start, int end, int p, double score)
    {
        if (score > best[end])
        {
            best[end] = score;
            from[end] = start;
            piece[end] = p;
        }
    }
}
