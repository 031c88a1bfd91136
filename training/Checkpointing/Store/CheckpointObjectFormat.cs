using System.Buffers.Binary;
using System.Text.Json;

namespace Accept.Training.Checkpointing.Store;

/// <summary>
/// One checkpoint as one object: magic, a length-prefixed JSON header (metadata and part lengths), then
/// the parts back to back. One object per checkpoint keeps the commit a single pointer switch.
/// </summary>
internal static class CheckpointObjectFormat
{
    private static readonly byte[] Magic = "ACKPT1\n"u8.ToArray();

    private sealed record Header(Dictionary<string, string> Metadata, List<PartEntry> Parts);

    private sealed record PartEntry(string Name, long Length);

    public static byte[] Write(CheckpointContent content)
    {
        var header = new Header(
            new Dictionary<string, string>(content.Metadata),
            content.Parts.Select(p => new PartEntry(p.Key, p.Value.LongLength)).ToList());
        var headerBytes = JsonSerializer.SerializeToUtf8Bytes(header);
        using var stream = new MemoryStream();
        stream.Write(Magic);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, headerBytes.Length);
        stream.Write(length);
        stream.Write(headerBytes);
        foreach (var part in content.Parts.Values)
        {
            stream.Write(part);
        }
        return stream.ToArray();
    }

    /// <summary>Parses an object whose hash already verified; a malformed layout still fails clearly.</summary>
    public static CheckpointContent Read(byte[] data, string location)
    {
        if (data.Length < Magic.Length + 4 || !data.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new CheckpointCorruptException($"Checkpoint object {location} does not start with the checkpoint magic.");
        }
        var headerLength = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(Magic.Length, 4));
        var offset = Magic.Length + 4;
        if (headerLength <= 0 || headerLength > data.Length - offset)
        {
            throw new CheckpointCorruptException($"Checkpoint object {location} has a header length {headerLength} beyond its {data.Length} bytes.");
        }
        var header = JsonSerializer.Deserialize<Header>(data.AsSpan(offset, headerLength))
            ?? throw new CheckpointCorruptException($"Checkpoint object {location} has an empty header.");
        offset += headerLength;
        var parts = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var part in header.Parts)
        {
            if (part.Length < 0 || part.Length > data.Length - offset)
            {
                throw new CheckpointCorruptException($"Checkpoint object {location}: part '{part.Name}' of {part.Length} bytes runs past the end.");
            }
            parts[part.Name] = data.AsSpan(offset, (int)part.Length).ToArray();
            offset += (int)part.Length;
        }
        if (offset != data.Length)
        {
            throw new CheckpointCorruptException($"Checkpoint object {location} has {data.Length - offset} trailing bytes.");
        }
        return new CheckpointContent(parts, header.Metadata);
    }
}
