using System.Buffers.Binary;
using System.Text;

namespace Accept.Training.Tokenization.SentencePiece;

/// <summary>
/// The characters a model's precompiled charsmap maps to nothing (nmt_nfkc: C0/C1 controls, zero-width
/// marks). ML.Tokenizers 2.0.1 ignores empty replacements and emits an &lt;unk&gt; for each, so they are
/// removed before its normaliser runs. Found by walking the charsmap's darts-clone double array.
/// One known difference remains: removing a deleted character can join its neighbours into a composition
/// sentencepiece never sees ("I", U+001E, U+0301 becomes "Í" here; sentencepiece keeps I and an unk).
/// </summary>
internal sealed class CharsmapDeletions
{
    private readonly HashSet<int> _deleted;

    private CharsmapDeletions(HashSet<int> deleted) => _deleted = deleted;

    public int Count => _deleted.Count;

    public static CharsmapDeletions From(ReadOnlySpan<byte> charsmap, string source)
    {
        var deleted = new HashSet<int>();
        if (charsmap.IsEmpty)
            return new CharsmapDeletions(deleted);
        if (charsmap.Length < 4)
            throw new InvalidDataException($"{source}: precompiled_charsmap is {charsmap.Length} bytes, too short for its header");
        var trieSize = BinaryPrimitives.ReadUInt32LittleEndian(charsmap);
        if (trieSize % 4 != 0 || trieSize > charsmap.Length - 4)
            throw new InvalidDataException($"{source}: precompiled_charsmap declares a {trieSize}-byte trie in {charsmap.Length - 4} bytes");
        var units = new uint[trieSize / 4];
        for (var i = 0; i < units.Length; i++)
            units[i] = BinaryPrimitives.ReadUInt32LittleEndian(charsmap[(4 + i * 4)..]);
        var strings = charsmap[(4 + (int)trieSize)..];

        var key = new List<byte>();
        Walk(units, strings, 0, key, deleted);
        return new CharsmapDeletions(deleted);
    }

    public string Remove(string text)
    {
        if (_deleted.Count == 0)
            return text;
        StringBuilder? kept = null;
        var index = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (_deleted.Contains(rune.Value))
                kept ??= new StringBuilder(text, 0, index, text.Length);
            else
                kept?.Append(rune.ToString());
            index += rune.Utf16SequenceLength;
        }
        return kept?.ToString() ?? text;
    }

    // Depth-first over the trie; a key that is one whole UTF-8 character with an empty replacement is recorded.
    private static void Walk(uint[] units, ReadOnlySpan<byte> strings, int position, List<byte> key, HashSet<int> deleted)
    {
        var unit = units[position];
        var basePos = position ^ Offset(unit);
        if (HasLeaf(unit) && key.Count > 0 && basePos < units.Length)
        {
            var value = (int)(units[basePos] & 0x7FFFFFFF);
            if (value < strings.Length && strings[value] == 0 && Rune.DecodeFromUtf8(key.ToArray(), out var rune, out var consumed) == System.Buffers.OperationStatus.Done && consumed == key.Count)
                deleted.Add(rune.Value);
        }
        if (key.Count >= 4)
            return;
        for (var label = 1; label < 256; label++)
        {
            var child = basePos ^ label;
            if (child < units.Length && (units[child] & 0x800000FFu) == label)
            {
                key.Add((byte)label);
                Walk(units, strings, child, key, deleted);
                key.RemoveAt(key.Count - 1);
            }
        }
    }

    private static bool HasLeaf(uint unit) => ((unit >> 8) & 1) == 1;

    private static int Offset(uint unit) => (int)((unit >> 10) << (int)((unit & (1u << 9)) >> 6));
}
