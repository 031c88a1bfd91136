using System.Buffers.Binary;
using System.Text;

namespace Accept.Training.Tokenization.SentencePiece;

/// <summary>
/// The characters a model's precompiled charsmap maps to nothing (nmt_nfkc: C0/C1 controls, zero-width
/// marks), found by walking the charsmap's darts-clone double array. ML.Tokenizers 2.0.1 ignores empty
/// replacements and keeps such a character (later an &lt;unk&gt;). Removing it beforehand is not enough:
/// its neighbours could then compose ("I", U+001E, U+0301 would become "Í", which sentencepiece never
/// sees). So each is replaced by a marker the charsmap leaves alone, and after normalisation the markers are
/// removed with the whitespace rules sentencepiece applies to an empty replacement.
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

    /// <summary>The text without its deleted characters (for text that already holds <see cref="Marker"/>).</summary>
    public string Remove(string text) => string.Concat(text.EnumerateRunes().Where(r => !_deleted.Contains(r.Value)).Select(r => r.ToString()));

    /// <summary>Replaces every deleted character by <see cref="Marker"/>; null when there is none to replace.</summary>
    public string? Mark(string text)
    {
        if (_deleted.Count == 0)
            return null;
        StringBuilder? marked = null;
        var index = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (_deleted.Contains(rune.Value))
                (marked ??= new StringBuilder(text, 0, index, text.Length)).Append(Marker);
            else
                marked?.Append(rune.ToString());
            index += rune.Utf16SequenceLength;
        }
        return marked?.ToString();
    }

    /// <summary>
    /// Removes the markers from normalised text as if they had been empty all along: sentencepiece keeps
    /// "the previous output ended in a space" across an empty replacement (so a space after it is dropped)
    /// and trims trailing spaces after everything else.
    /// </summary>
    public static string Unmark(string normalized, char space, bool removeExtraWhitespaces)
    {
        var result = new StringBuilder(normalized.Length);
        for (var i = 0; i < normalized.Length; i++)
        {
            if (normalized[i] != Marker)
            {
                result.Append(normalized[i]);
                continue;
            }
            while (i + 1 < normalized.Length && normalized[i + 1] == Marker)
                i++;
            if (!removeExtraWhitespaces)
                continue;
            var previousIsSpace = result.Length == 0 || result[^1] == space;
            if (previousIsSpace && i + 1 < normalized.Length && normalized[i + 1] == space)
                i++;
            if (i + 1 == normalized.Length)
            {
                while (result.Length > 0 && result[^1] == space)
                    result.Length--;
            }
        }
        return result.ToString();
    }

    /// <summary>A Unicode noncharacter: never in text meant for interchange, and untouched by the charsmaps we read.</summary>
    public const char Marker = '\uFDD0';

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
