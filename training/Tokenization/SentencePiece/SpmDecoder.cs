using System.Text;

namespace Accept.Training.Tokenization.SentencePiece;

/// <summary>
/// Turns ids back into text exactly as sentencepiece 0.1.97's DecodeIds does: control pieces vanish,
/// unknown pieces become " ⁇ ", byte pieces are reassembled as UTF-8, ▁ becomes a space, and the leading
/// space the normaliser added is removed while nothing has been written yet.
/// </summary>
internal sealed class SpmDecoder(SentencePieceModel model)
{
    private const char SpaceSymbol = '\u2581';
    private const string UnknownSurface = " \u2047 ";

    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var text = new StringBuilder();
        var pendingBytes = new List<byte>();
        var stripLeadingSpace = model.AddDummyPrefix || model.RemoveExtraWhitespaces;
        foreach (var id in ids)
        {
            if (id < 0 || id >= model.Pieces.Count)
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"token id {id} is outside the vocabulary of {model.Pieces.Count} pieces");
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
