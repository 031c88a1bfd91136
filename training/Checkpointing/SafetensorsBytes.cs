using Accept.Training.IO;
using static TorchSharp.torch;

namespace Accept.Training.Checkpointing;

/// <summary>
/// The safetensors layout in memory (u64 header length, JSON header with <c>__metadata__</c>, raw
/// little-endian data): checkpoints travel as one byte array to a checkpoint store or a file.
/// </summary>
public static class SafetensorsBytes
{
    public static byte[] Encode(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string> metadata) =>
        SafetensorsWriter.ToBytes(tensors, metadata);

    /// <summary>Tensors (CPU, stored dtype; the caller disposes them) and metadata; <paramref name="source"/> names the bytes in errors.</summary>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Decode(ReadOnlySpan<byte> bytes, string source)
    {
        Exception Fail(string problem) => new InvalidDataException($"{source}: {problem}");
        var headerLength = (int)SafetensorsHeader.Length(bytes, bytes.Length, Fail);
        var data = bytes[(8 + headerLength)..];
        var (entries, metadata) = SafetensorsHeader.Parse(bytes.Slice(8, headerLength), data.Length, Fail);
        var tensors = new Dictionary<string, Tensor>();
        try
        {
            foreach (var entry in entries.Values)
            {
                var tensor = empty(entry.Shape, entry.ScalarType);
                tensors[entry.Name] = tensor;
                data[(int)entry.Begin..(int)entry.End].CopyTo(tensor.bytes);
            }
            return (tensors, metadata);
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
    }
}
