using System.Text.Json;
using static TorchSharp.torch;

namespace Accept.Training.IO;

/// <summary>
/// The weights of a model directory: `model.safetensors`, or shards listed in
/// `model.safetensors.index.json` (weight_map: tensor name → shard file).
/// </summary>
public sealed class SafetensorsCheckpoint : IDisposable
{
    public const string SingleFile = "model.safetensors";
    public const string IndexFile = "model.safetensors.index.json";

    private readonly string _directory;
    private readonly Dictionary<string, string> _fileOf;
    private readonly Dictionary<string, SafetensorsFile> _open = new();

    private SafetensorsCheckpoint(string directory, Dictionary<string, string> fileOf)
    {
        _directory = directory;
        _fileOf = fileOf;
    }

    public IReadOnlyCollection<string> Names => _fileOf.Keys;

    public bool Contains(string name) => _fileOf.ContainsKey(name);

    public static SafetensorsCheckpoint Open(string directory)
    {
        if (!Directory.Exists(directory))
            throw new CheckpointException(directory, "model directory not found");
        var single = Path.Combine(directory, SingleFile);
        var index = Path.Combine(directory, IndexFile);
        if (File.Exists(single))
        {
            var file = SafetensorsFile.Open(single);
            var checkpoint = new SafetensorsCheckpoint(directory, file.Tensors.ToDictionary(t => t.Name, _ => SingleFile));
            checkpoint._open[SingleFile] = file;
            return checkpoint;
        }
        if (File.Exists(index))
            return new SafetensorsCheckpoint(directory, ReadIndex(index));
        throw new CheckpointException(single, $"file not found (nor {IndexFile})");
    }

    public SafetensorsTensorInfo Info(string name) => FileFor(name).Info(name);

    /// <summary>Where a tensor is stored, for error messages.</summary>
    public string PathOf(string name) => Path.Combine(_directory, _fileOf.TryGetValue(name, out var f) ? f : SingleFile);

    public Tensor ReadFloat32(string name) => FileFor(name).ReadFloat32(name);

    public void Dispose()
    {
        foreach (var file in _open.Values)
            file.Dispose();
        _open.Clear();
    }

    private SafetensorsFile FileFor(string name)
    {
        if (!_fileOf.TryGetValue(name, out var shard))
            throw new CheckpointException(PathOf(name), $"missing tensor '{name}'");
        if (!_open.TryGetValue(shard, out var file))
        {
            file = SafetensorsFile.Open(Path.Combine(_directory, shard));
            if (!file.Contains(name))
                throw new CheckpointException(file.Path, $"missing tensor '{name}' (the index lists it in this shard)");
            _open[shard] = file;
        }
        return file;
    }

    private static Dictionary<string, string> ReadIndex(string index)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(index));
            if (!doc.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
                throw new CheckpointException(index, "expected an object 'weight_map' (tensor name → shard file)");
            var result = new Dictionary<string, string>();
            foreach (var entry in map.EnumerateObject())
            {
                var shard = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()! : "";
                if (shard.Length == 0 || Path.GetFileName(shard) != shard)
                    throw new CheckpointException(index, $"weight_map entry '{entry.Name}' must name a file in the same directory, found {entry.Value.GetRawText()}");
                result[entry.Name] = shard;
            }
            return result;
        }
        catch (JsonException e)
        {
            throw new CheckpointException(index, $"malformed JSON: {e.Message}", e);
        }
    }
}
