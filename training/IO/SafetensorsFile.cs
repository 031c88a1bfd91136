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
        Exception Fail(string problem) => new CheckpointException(path, problem);
        var fileLength = RandomAccess.GetLength(handle);
        Span<byte> lengthBytes = stackalloc byte[8];
        var prefix = fileLength >= 8 ? RandomAccess.Read(handle, lengthBytes, 0) : 0;
        var headerLength = SafetensorsHeader.Length(lengthBytes[..prefix], fileLength, Fail);
        var header = new byte[headerLength];
        if (RandomAccess.Read(handle, header, 8) != headerLength)
            throw Fail("malformed safetensors: header is truncated");
        var (tensors, metadata) = SafetensorsHeader.Parse(header, fileLength - 8 - headerLength, Fail);
        return (8 + headerLength, tensors, metadata);
    }
}
