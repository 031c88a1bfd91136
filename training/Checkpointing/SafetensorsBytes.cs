using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Accept.Training.IO;
using static TorchSharp.torch;

namespace Accept.Training.Checkpointing;

/// <summary>
/// The safetensors layout in memory (u64 header length, JSON header with <c>__metadata__</c>, raw
/// little-endian data): checkpoints travel as one byte array to a checkpoint store or a file.
/// </summary>
public static class SafetensorsBytes
{
    private const long MaxHeaderBytes = 100L * 1024 * 1024;

    public static byte[] Encode(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string> metadata) =>
        SafetensorsWriter.ToBytes(tensors, metadata);

    private static long[] Integers(JsonElement array, string source, string tensor, string field)
    {
        if (array.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{source}: tensor '{tensor}' {field} must be an array of integers, found {array.GetRawText()}");
        return array.EnumerateArray().Select(d => d.ValueKind == JsonValueKind.Number && d.TryGetInt64(out var v) ? v
            : throw new InvalidDataException($"{source}: tensor '{tensor}' {field} must hold integers, found {d.GetRawText()}")).ToArray();
    }

    /// <summary>Tensors (CPU, stored dtype; the caller disposes them) and metadata; <paramref name="source"/> names the bytes in errors.</summary>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Decode(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < 8) throw new InvalidDataException($"{source}: {bytes.Length} bytes is too short for a safetensors header");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > MaxHeaderBytes || (long)headerLength > bytes.Length - 8)
            throw new InvalidDataException($"{source}: header length {headerLength} does not fit in {bytes.Length} bytes");
        var data = bytes[(8 + (int)headerLength)..];
        var tensors = new Dictionary<string, Tensor>();
        var metadata = new Dictionary<string, string>();
        try
        {
            using var doc = JsonDocument.Parse(Encoding.UTF8.GetString(bytes.Slice(8, (int)headerLength)));
            foreach (var entry in doc.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__")
                {
                    foreach (var m in entry.Value.EnumerateObject()) metadata[m.Name] = m.Value.GetString() ?? "";
                    continue;
                }
                var dtypeName = entry.Value.GetProperty("dtype").GetString() ?? "";
                if (!SafetensorsDType.TryParse(dtypeName, out var dtype, out int size))
                    throw new InvalidDataException($"{source}: tensor '{entry.Name}' has unsupported dtype {dtypeName}");
                var shape = Integers(entry.Value.GetProperty("shape"), source, entry.Name, "shape");
                var offsets = Integers(entry.Value.GetProperty("data_offsets"), source, entry.Name, "data_offsets");
                if (shape.Length > 8 || shape.Any(d => d < 0))
                    throw new InvalidDataException($"{source}: tensor '{entry.Name}' has shape [{string.Join(",", shape)}]; expected at most 8 non-negative dimensions");
                long expected;
                try { expected = checked(shape.Aggregate(1L, (a, b) => checked(a * b)) * size); }
                catch (OverflowException) { throw new InvalidDataException($"{source}: tensor '{entry.Name}' has shape [{string.Join(",", shape)}], whose size overflows"); }
                if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] > data.Length || offsets[1] - offsets[0] != expected)
                    throw new InvalidDataException($"{source}: tensor '{entry.Name}' has data_offsets [{string.Join(",", offsets)}], expected {expected} bytes inside {data.Length}");
                var tensor = empty(shape, dtype);
                tensors[entry.Name] = tensor;
                data.Slice((int)offsets[0], (int)expected).CopyTo(tensor.bytes);
            }
            return (tensors, metadata);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or InvalidDataException)
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw e as InvalidDataException ?? new InvalidDataException($"{source}: malformed safetensors header: {e.Message}", e);
        }
    }
}
