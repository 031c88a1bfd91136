using System.Buffers.Binary;
using System.Text;

namespace Accept.Training.Tokenization.Training;

/// <summary>
/// sentencepiece's normalizer_spec.precompiled_charsmap: a little-endian uint32 trie size, the double-array
/// trie from UTF-8 input to an offset, then the NUL-terminated replacement strings those offsets point into.
/// </summary>
internal static class PrecompiledCharsmap
{
    public static byte[] Build(IEnumerable<(int CodePoint, string Replacement)> rules)
    {
        var strings = new MemoryStream();
        var offsets = new Dictionary<string, int>(StringComparer.Ordinal);
        var entries = new List<(byte[] Key, int Value)>();
        foreach (var (codePoint, replacement) in rules)
        {
            if (!offsets.TryGetValue(replacement, out var offset))
            {
                offset = (int)strings.Length;
                offsets[replacement] = offset;
                strings.Write(Encoding.UTF8.GetBytes(replacement));
                strings.WriteByte(0);
            }
            entries.Add((Encoding.UTF8.GetBytes(char.ConvertFromUtf32(codePoint)), offset));
        }

        var units = DoubleArrayBuilder.Build(entries);
        var blob = new byte[4 + units.Length * 4 + strings.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(blob, (uint)(units.Length * 4));
        for (var i = 0; i < units.Length; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(4 + i * 4), units[i]);
        strings.ToArray().CopyTo(blob, 4 + units.Length * 4);
        return blob;
    }
}
