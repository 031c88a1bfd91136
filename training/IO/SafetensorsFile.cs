using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using TorchSharp;
using static TorchSharp.torch;

namespace Accept.Training.IO;

/// <summary>
/// Reads a .safetensors file: u64 little-endian header length, a JSON header
/// {name: {dtype, shape, data_offsets}, __metadata__: {..}}, then the raw little-endian data.
/// Tensor bytes are read from disk straight into the tensor's own buffer.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    private const long MaxHeaderBytes = 100L * 1024 * 1024;

    private readonly SafeFileHandle _handle;
    private readonly long _dataStart;
    private readonly Dictionary<string, SafetensorsTensorInfo> _tensors;

    private SafetensorsFile(string path, SafeFileHandle handle, long dataStart,
        Dictionary<string, SafetensorsTensorInfo> tensors, Dictionary<string, string> metadata)
    {
        Path = path;
        _handle = handle;
        _dataStart = dataStart;
        _tensors = tensors;
        Metadata = metadata;
    }

    public string Path { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Entries in file order of their data.</summary>
    public IReadOnlyList<SafetensorsTensorInfo> Tensors => _tensors.Values.OrderBy(t => t.Begin).ToList();

    public bool Contains(string name) => _tensors.ContainsKey(name);

    public SafetensorsTensorInfo Info(string name) =>
        _tensors.TryGetValue(name, out var info) ? info : throw new CheckpointException(Path, $"no tensor named '{name}'");

    public static SafetensorsFile Open(string path)
    {
        if (!File.Exists(path))
            throw new CheckpointException(path, "file not found");
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            var (dataStart, tensors, metadata) = ReadHeader(path, handle);
            return new SafetensorsFile(path, handle, dataStart, tensors, metadata);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Reads a floating-point tensor as float32 (F16/BF16/F64 are converted).</summary>
    public Tensor ReadFloat32(string name)
    {
        var info = Info(name);
        if (!SafetensorsDType.IsFloating(info.ScalarType))
            throw new CheckpointException(Path, $"tensor '{name}' has dtype {info.DType}; a floating-point dtype (F32, F16, BF16, F64) was expected");
        var raw = Read(name);
        if (info.ScalarType == ScalarType.Float32)
            return raw;
        using (raw)
            return raw.to_type(ScalarType.Float32);
    }

    /// <summary>Reads a tensor in its stored dtype, on the CPU.</summary>
    public Tensor Read(string name)
    {
        var info = Info(name);
        var tensor = torch.empty(info.Shape, info.ScalarType);
        try
        {
            var span = tensor.bytes;
            var read = 0;
            while (read < span.Length)
            {
                var n = RandomAccess.Read(_handle, span[read..], _dataStart + info.Begin + read);
                if (n == 0)
                    throw new CheckpointException(Path, $"tensor '{name}' is truncated: file ends before byte {_dataStart + info.End}");
                read += n;
            }
            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    public void Dispose() => _handle.Dispose();

    private static (long, Dictionary<string, SafetensorsTensorInfo>, Dictionary<string, string>) ReadHeader(string path, SafeFileHandle handle)
    {
        var fileLength = RandomAccess.GetLength(handle);
        Span<byte> lengthBytes = stackalloc byte[8];
        if (fileLength < 8 || RandomAccess.Read(handle, lengthBytes, 0) != 8)
            throw new CheckpointException(path, $"malformed safetensors: {fileLength} bytes is too short for the 8-byte header length");
        var headerLength = BitConverter.ToInt64(lengthBytes);
        if (headerLength <= 0 || headerLength > MaxHeaderBytes || headerLength > fileLength - 8)
            throw new CheckpointException(path, $"malformed safetensors: header length {headerLength} does not fit a file of {fileLength} bytes");
        var header = new byte[headerLength];
        if (RandomAccess.Read(handle, header, 8) != headerLength)
            throw new CheckpointException(path, "malformed safetensors: header is truncated");

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(header, new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            throw new CheckpointException(path, $"malformed safetensors header JSON: {e.Message}", e);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new CheckpointException(path, "malformed safetensors header: expected a JSON object");
            var dataLength = fileLength - 8 - headerLength;
            var tensors = new Dictionary<string, SafetensorsTensorInfo>();
            var metadata = new Dictionary<string, string>();
            foreach (var entry in doc.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__")
                {
                    if (entry.Value.ValueKind != JsonValueKind.Object)
                        throw new CheckpointException(path, "malformed safetensors header: __metadata__ must be an object of strings");
                    foreach (var m in entry.Value.EnumerateObject())
                        metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! : m.Value.GetRawText();
                    continue;
                }
                tensors[entry.Name] = ParseEntry(path, entry.Name, entry.Value, dataLength);
            }
            RejectOverlaps(path, tensors.Values);
            return (8 + headerLength, tensors, metadata);
        }
    }

    private static SafetensorsTensorInfo ParseEntry(string path, string name, JsonElement e, long dataLength)
    {
        CheckpointException Bad(string problem) => new(path, $"malformed safetensors header entry '{name}': {problem}");
        if (e.ValueKind != JsonValueKind.Object)
            throw Bad("expected an object with dtype, shape, data_offsets");
        if (!e.TryGetProperty("dtype", out var dtypeEl) || dtypeEl.ValueKind != JsonValueKind.String)
            throw Bad("missing string 'dtype'");
        var dtype = dtypeEl.GetString()!;
        if (!SafetensorsDType.TryParse(dtype, out var scalarType, out var elementSize))
            throw new CheckpointException(path, $"tensor '{name}' has unsupported dtype '{dtype}' (supported: {string.Join(", ", SafetensorsDType.Supported)})");
        if (!e.TryGetProperty("shape", out var shapeEl) || shapeEl.ValueKind != JsonValueKind.Array)
            throw Bad("missing array 'shape'");
        var shape = new long[shapeEl.GetArrayLength()];
        var i = 0;
        foreach (var d in shapeEl.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out shape[i]) || shape[i] < 0)
                throw Bad($"shape must hold non-negative integers, found {shapeEl.GetRawText()}");
            i++;
        }
        if (!e.TryGetProperty("data_offsets", out var offEl) || offEl.ValueKind != JsonValueKind.Array || offEl.GetArrayLength() != 2
            || !offEl[0].TryGetInt64(out var begin) || !offEl[1].TryGetInt64(out var end))
            throw Bad("'data_offsets' must be [begin, end]");
        if (begin < 0 || end < begin || end > dataLength)
            throw new CheckpointException(path, $"tensor '{name}' data_offsets [{begin}, {end}] are out of range of the {dataLength}-byte data section");
        long expected;
        try
        {
            expected = checked(shape.Aggregate(1L, (a, b) => a * b) * elementSize);
        }
        catch (OverflowException)
        {
            throw Bad($"shape [{string.Join(", ", shape)}] holds more bytes than a file can");
        }
        if (end - begin != expected)
            throw new CheckpointException(path, $"tensor '{name}' spans {end - begin} bytes but dtype {dtype} shape [{string.Join(", ", shape)}] needs {expected}");
        return new SafetensorsTensorInfo(name, dtype, scalarType, shape, begin, end);
    }

    /// <summary>Two tensors sharing bytes would alias each other's weights: every tensor owns its own range of the data section.</summary>
    private static void RejectOverlaps(string path, IEnumerable<SafetensorsTensorInfo> tensors)
    {
        SafetensorsTensorInfo? previous = null;
        foreach (var t in tensors.Where(t => t.End > t.Begin).OrderBy(t => t.Begin))
        {
            if (previous is not null && t.Begin < previous.End)
                throw new CheckpointException(path, $"malformed safetensors header: tensor '{t.Name}' data_offsets [{t.Begin}, {t.End}] overlap tensor '{previous.Name}' [{previous.Begin}, {previous.End}]");
            previous = t;
        }
    }
}
