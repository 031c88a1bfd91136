using System.Text;

namespace Accept.Training.Tokenization.SentencePiece;

/// <summary>
/// Turns ids back into text exactly as sentencepiece 0.1.97's DecodeIds does: control pieces vanish,
/// unknown pieces become " ⁇ ", byte pieces are reassembled as UTF-8, ▁ becomes a space, and the leading
/// space the normaliser added is removed while nothing has been written yet. Ids past the model's pieces
/// (T5 checkpoints have embedding rows beyond them, and greedy decoding can pick those) render as T5's
/// sentinels, as Hugging Face's T5Tokenizer numbers them (the last id is &lt;extra_id_0&gt;), and beyond
/// its 100 sentinels as an unknown piece; decoding model output never fails on them.
/// </summary>
internal sealed class SpmDecoder(SentencePieceModel model)
{
    private const char SpaceSymbol = '\u2581';
    private const string UnknownSurface = " \u2047 ";
    private const int SentinelCount = 100;

    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var text = new StringBuilder();
        var pendingBytes = new List<byte>();
        var stripLeadingSpace = model.AddDummyPrefix || model.RemoveExtraWhitespaces;
        foreach (var id in ids)
        {
            if (id < 0)
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"token id {id} is negative (label padding such as -100 must be removed before decoding)");
            if (id >= model.Pieces.Count)
            {
                FlushBytes(pendingBytes, text);
                var sentinel = model.Pieces.Count + SentinelCount - 1 - id;
                text.Append(sentinel >= 0 ? $"<extra_id_{sentinel}>" : UnknownSurface);
                continue;
            }
            var piece = model.Pieces[id];
            if (piece.Type == PieceType.Byte)
            {
                pendingBytes.Add(Convert.ToByte(piece.Piece[3..^1], 16)); // "<0xAB>"
                continue;
            }
            FlushBytes(pendingBytes, text);
            switch (piece.Type)
            {
                case PieceType.Control:
                    break;
                case PieceType.Unknown:
                    text.Append(UnknownSurface);
                    break;
                default:
                    var surface = piece.Piece.AsSpan();
                    if (stripLeadingSpace && text.Length == 0 && surface.Length > 0 && surface[0] == SpaceSymbol)
                        surface = surface[1..];
                    foreach (var c in surface)
                        text.Append(c == SpaceSymbol ? ' ' : c);
                    break;
            }
        }
        FlushBytes(pendingBytes, text);
        return text.ToString();
    }

    private static void FlushBytes(List<byte> bytes, StringBuilder text)
    {
        if (bytes.Count == 0)
            return;
        text.Append(Encoding.UTF8.GetString([.. bytes]));
        bytes.Clear();
    }
}
