using System.Text;

namespace Accept.Training.Tokenization.SentencePiece;

/// <summary>
/// sentencepiece 0.1.97's unigram segmentation (Model::EncodeOptimized), reproduced step for step so that
/// equal-scoring segmentations resolve the same way: a piece's candidate score is float + float computed in
/// double (sentencepiece's score expression has type double) and compared unrounded with the stored float
/// best, unknown candidates are computed in float; starts advance one code point at a time, longer candidates
/// are tried after shorter ones, and a candidate must be strictly better to replace the current best. A code point no piece covers becomes &lt;unk&gt; scored
/// 10 below the least likely piece.
/// </summary>
internal sealed class UnigramViterbi
{
    private const float UnknownPenalty = 10f;

    private sealed class Node
    {
        public Dictionary<char, Node>? Children;
        public int Id = -1;
    }

    private readonly Node _root = new();
    private readonly SentencePieceModel _model;
    private readonly float _unknownScore;
    private readonly float _maxScore;

    public UnigramViterbi(SentencePieceModel model)
    {
        _model = model;
        var normal = model.Pieces.Where(p => p.Type == PieceType.Normal).Select(p => p.Score).DefaultIfEmpty(0f).ToList();
        _unknownScore = normal.Min() - UnknownPenalty;
        _maxScore = normal.Max();
        for (var id = 0; id < model.Pieces.Count; id++)
        {
            var piece = model.Pieces[id];
            if (piece.Type is PieceType.Normal or PieceType.UserDefined or PieceType.Unused)
                Insert(piece.Piece, id);
        }
    }

    /// <summary>Ids of the best segmentation of <paramref name="normalized"/> (normaliser output, ▁ for spaces).</summary>
    public List<int> Encode(string normalized)
    {
        var size = normalized.Length;
        var bestScore = new float[size + 1];
        var startsAt = new int[size + 1];
        var ids = new int[size + 1];
        Array.Fill(startsAt, -1);

        for (var start = 0; start < size; start += CharLength(normalized, start))
        {
            var tillHere = bestScore[start];
            var charLength = CharLength(normalized, start);
            var hasSingleNode = false;
            var node = _root;
            for (var end = start; end < size; end++)
            {
                if (node.Children is null || !node.Children.TryGetValue(normalized[end], out node))
                    break;
                if (node.Id < 0 || _model.Pieces[node.Id].Type == PieceType.Unused)
                    continue;
                var length = end + 1 - start;
                var candidate = Score(node.Id, normalized, start, length) + tillHere;
                Relax(bestScore, startsAt, ids, end + 1, start, node.Id, candidate);
                if (length == charLength)
                    hasSingleNode = true;
            }
            if (!hasSingleNode)
                Relax(bestScore, startsAt, ids, start + charLength, start, _model.UnkId, (float)(_unknownScore + tillHere));
        }

        var result = new List<int>();
        for (var end = size; end > 0; end = startsAt[end])
            result.Add(ids[end]);
        result.Reverse();
        return result;
    }

    private double Score(int id, string text, int start, int length)
    {
        var piece = _model.Pieces[id];
        // User-defined symbols get a bonus so they always win, computed as sentencepiece does (UTF-8 length).
        return piece.Type == PieceType.UserDefined
            ? Encoding.UTF8.GetByteCount(text.AsSpan(start, length)) * _maxScore - 0.1
            : piece.Score;
    }

    private static void Relax(float[] bestScore, int[] startsAt, int[] ids, int end, int start, int id, double candidate)
    {
        if (startsAt[end] == -1 || candidate > bestScore[end])
        {
            bestScore[end] = (float)candidate;
            startsAt[end] = start;
            ids[end] = id;
        }
    }

    private static int CharLength(string text, int index) =>
        char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]) ? 2 : 1;

    private void Insert(string piece, int id)
    {
        var node = _root;
        foreach (var c in piece)
        {
            node.Children ??= [];
            if (!node.Children.TryGetValue(c, out var child))
                node.Children[c] = child = new Node();
            node = child;
        }
        node.Id = id; // pieces are unique: SentencePieceModel.Parse rejects duplicates
    }
}
