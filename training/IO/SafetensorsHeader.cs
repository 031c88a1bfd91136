using System.Buffers.Binary;
using System.Text.Json;

namespace Accept.Training.IO;

/// <summary>
/// The one parse of the safetensors layout's header (u64 little-endian length, then a JSON object
/// {name: {dtype, shape, data_offsets}, __metadata__: {..}}), for files (<see cref="SafetensorsFile"/>) and
/// byte arrays (<see cref="Checkpointing.SafetensorsBytes"/>) alike. Refused: a length that does not fit,
/// invalid or duplicate-keyed JSON, unsupported dtypes, negative or overflowing shapes, data_offsets outside
/// the data section or not matching dtype × shape, and tensors whose bytes overlap.
/// <c>fail</c> turns a problem into the caller's exception (it names the file or the bytes' source).
/// </summary>
public static class SafetensorsHeader
{
    public const long MaxHeaderBytes = 100L * 1024 * 1024;

    /// <summary>The header's byte length from the first 8 bytes of a layout of <paramref name="totalLength"/> bytes.</summary>
    public static long Length(ReadOnlySpan<byte> prefix, long totalLength, Func<string, Exception> fail)
    {
        if (totalLength < 8 || prefix.Length < 8)
            throw fail($"malformed safetensors: {totalLength} bytes is too short for the 8-byte header length");
        var headerLength = BinaryPrimitives.ReadInt64LittleEndian(prefix);
        if (headerLength <= 0 || headerLength > MaxHeaderBytes || headerLength > totalLength - 8)
            throw fail($"malformed safetensors: header length {headerLength} does not fit {totalLength} bytes");
        return headerLength;
    }

    /// <summary>The tensors' entries (offsets relative to the data section of <paramref name="dataLength"/> bytes) and the metadata.</summary>
    public static (Dictionary<string, SafetensorsTensorInfo> Tensors, Dictionary<string, string> Metadata) Parse(
        ReadOnlySpan<byte> header, long dataLength, Func<string, Exception> fail)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(header.ToArray(), new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            throw fail($"malformed safetensors header JSON: {e.Message}");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw fail("malformed safetensors header: expected a JSON object");
            var tensors = new Dictionary<string, SafetensorsTensorInfo>();
            var metadata = new Dictionary<string, string>();
            foreach (var entry in doc.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__")
                {
                    if (entry.Value.ValueKind != JsonValueKind.Object)
                        throw fail("malformed safetensors header: __metadata__ must be an object of strings");
                    foreach (var m in entry.Value.EnumerateObject())
                        metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! : m.Value.GetRawText();
                    continue;
                }
                tensors[entry.Name] = Entry(entry.Name, entry.Value, dataLength, fail);
            }
            RejectOverlaps(tensors.Values, fail);
            return (tensors, metadata);
        }
    }

    private static SafetensorsTensorInfo Entry(string name, JsonElement e, long dataLength, Func<string, Exception> fail)
    {
        Exception Bad(string problem) => fail($"malformed safetensors header entry '{name}': {problem}");
        if (e.ValueKind != JsonValueKind.Object)
            throw Bad("expected an object with dtype, shape, data_offsets");
        if (!e.TryGetProperty("dtype", out var dtypeEl) || dtypeEl.ValueKind != JsonValueKind.String)
            throw Bad("missing string 'dtype'");
        var dtype = dtypeEl.GetString()!;
        if (!SafetensorsDType.TryParse(dtype, out var scalarType, out var elementSize))
            throw fail($"tensor '{name}' has unsupported dtype '{dtype}' (supported: {string.Join(", ", SafetensorsDType.Supported)})");
        if (!e.TryGetProperty("shape", out var shapeEl) || shapeEl.ValueKind != JsonValueKind.Array)
            throw Bad("missing array 'shape'");
        var shape = new long[shapeEl.GetArrayLength()];
        var i = 0;
        foreach (var d in shapeEl.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out shape[i]))
                throw Bad($"shape must hold integers, found {shapeEl.GetRawText()}");
            if (shape[i] < 0)
                throw Bad($"shape must hold non-negative integers, found {shapeEl.GetRawText()}");
            i++;
        }
        if (!e.TryGetProperty("data_offsets", out var offEl) || offEl.ValueKind != JsonValueKind.Array || offEl.GetArrayLength() != 2
            || !offEl[0].TryGetInt64(out var begin) || !offEl[1].TryGetInt64(out var end))
            throw Bad("'data_offsets' must be [begin, end]");
        if (begin < 0 || end < begin || end > dataLength)
            throw fail($"tensor '{name}' data_offsets [{begin}, {end}] are out of range of the {dataLength}-byte data section");
        long expected;
        try
        {
            expected = checked(shape.Aggregate(1L, (a, b) => checked(a * b)) * elementSize);
        }
        catch (OverflowException)
        {
            throw Bad($"shape [{string.Join(", ", shape)}] overflows: it holds more bytes than a file can");
        }
        if (end - begin != expected)
            throw fail($"tensor '{name}' spans {end - begin} bytes but dtype {dtype} shape [{string.Join(", ", shape)}] needs {expected}");
        return new SafetensorsTensorInfo(name, dtype, scalarType, shape, begin, end);
    }

    /// <summary>Two tensors sharing bytes would alias each other's weights: every tensor owns its own range of the data section.</summary>
    private static void RejectOverlaps(IEnumerable<SafetensorsTensorInfo> tensors, Func<string, Exception> fail)
    {
        SafetensorsTensorInfo? previous = null;
        foreach (var t in tensors.Where(t => t.End > t.Begin).OrderBy(t => t.Begin))
        {
            if (previous is not null && t.Begin < previous.End)
                throw fail($"malformed safetensors header: tensor '{t.Name}' data_offsets [{t.Begin}, {t.End}] overlap tensor '{previous.Name}' [{previous.Begin}, {previous.End}]");
            previous = t;
        }
    }
}
