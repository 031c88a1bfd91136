using System.Security.Cryptography;
using System.Text.Json;
using Accept.Training.IO;

namespace Accept.Training.Checkpointing;

/// <summary>
/// A verified checkpoint folder: task states (<c>task-NAME.safetensors</c>), codebook group states
/// (<c>group-NAME.safetensors</c>) and <c>manifest.json</c>. Every file is checked against the manifest's
/// SHA-256 when read, so a corrupt or half-written checkpoint is never loaded.
/// </summary>
public sealed class CheckpointFolder
{
    public const string ManifestFile = "manifest.json";

    private CheckpointFolder(string path, CheckpointManifest manifest)
    {
        Path = path;
        Manifest = manifest;
    }

    public string Path { get; }
    public CheckpointManifest Manifest { get; }
    public long Step => Manifest.Step;

    public IReadOnlyList<string> TaskNames => Names("task-");
    public IReadOnlyList<string> GroupNames => Names("group-");

    public static string TaskFile(string task) => $"task-{task}.safetensors";
    public static string GroupFile(string group) => $"group-{group}.safetensors";

    /// <summary>Writes the files, then the manifest last (each atomically); the folder must not exist yet.</summary>
    public static CheckpointFolder Write(string path, long step, int dModel, double elapsedSeconds,
        IEnumerable<TaskCheckpoint> tasks, IEnumerable<CodebookCheckpoint> groups)
    {
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        Directory.CreateDirectory(path);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        void Put(string name, byte[] bytes)
        {
            AtomicFile.WriteAllBytes(System.IO.Path.Combine(path, name), bytes);
            files[name] = Convert.ToHexStringLower(SHA256.HashData(bytes));
        }
        foreach (var task in tasks) Put(TaskFile(task.TaskName), task.ToBytes());
        foreach (var group in groups) Put(GroupFile(group.GroupName), group.ToBytes());
        var manifest = new CheckpointManifest(step, dModel, elapsedSeconds, files);
        AtomicFile.WriteAllText(System.IO.Path.Combine(path, ManifestFile), JsonSerializer.Serialize(manifest, new JsonSerializerOptions { WriteIndented = true }));
        return new CheckpointFolder(path, manifest);
    }

    public static CheckpointFolder Open(string path)
    {
        var manifestPath = System.IO.Path.Combine(path, ManifestFile);
        if (!File.Exists(manifestPath)) throw new InvalidDataException($"{path}: not a checkpoint ({ManifestFile} missing)");
        try
        {
            var manifest = JsonSerializer.Deserialize<CheckpointManifest>(File.ReadAllText(manifestPath))
                ?? throw new InvalidDataException($"{manifestPath}: empty manifest");
            if (manifest.Files is null) throw new InvalidDataException($"{manifestPath}: 'files' missing");
            return new CheckpointFolder(path, manifest);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{manifestPath}: malformed manifest: {e.Message}", e);
        }
    }

    public bool HasTask(string task) => Manifest.Files.ContainsKey(TaskFile(task));

    public TaskCheckpoint Task(string task) => TaskCheckpoint.FromBytes(ReadVerified(TaskFile(task)), System.IO.Path.Combine(Path, TaskFile(task)));

    public CodebookCheckpoint Group(string group) => CodebookCheckpoint.FromBytes(ReadVerified(GroupFile(group)), System.IO.Path.Combine(Path, GroupFile(group)));

    private byte[] ReadVerified(string name)
    {
        var file = System.IO.Path.Combine(Path, name);
        if (!Manifest.Files.TryGetValue(name, out var expected))
            throw new InvalidDataException($"{Path}: the checkpoint has no {name} (it holds {string.Join(", ", Manifest.Files.Keys)})");
        if (!File.Exists(file)) throw new InvalidDataException($"{file}: listed in the manifest but missing");
        var bytes = File.ReadAllBytes(file);
        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (actual != expected) throw new InvalidDataException($"{file}: SHA-256 {actual} does not match the manifest's {expected}; the checkpoint is corrupt");
        return bytes;
    }

    private List<string> Names(string prefix) => Manifest.Files.Keys
        .Where(f => f.StartsWith(prefix, StringComparison.Ordinal) && f.EndsWith(".safetensors", StringComparison.Ordinal))
        .Select(f => f[prefix.Length..^".safetensors".Length]).ToList();
}
