using System.Text.Json;
using System.Text.Json.Serialization;
using Accept.Training.Checkpointing.Store;
using Accept.Training.IO;

namespace Accept.Training.Checkpointing;

/// <summary>
/// <c>RUN/checkpoint-store.json</c>: where a run's checkpoints are, whichever mode wrote them — the job id
/// (the first level of every scope) and a directory root (relative paths are inside the run directory:
/// in-process and embedded-cluster runs keep them in <c>RUN/checkpoints/JOB/OWNER/</c>) or a Blob
/// container, whose connection string comes from the environment
/// (<see cref="CheckpointStoreOptions.ConnectionStringVariable"/>), never from the run directory.
/// </summary>
public sealed record RunCheckpointLocation(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("job")] string Job,
    [property: JsonPropertyName("root")] string? Root,
    [property: JsonPropertyName("container")] string? Container)
{
    public const string FileName = "checkpoint-store.json";
    public const string DefaultRoot = "checkpoints";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The run's own directory store, <c>RUN/checkpoints</c>.</summary>
    public static RunCheckpointLocation InRun(string job) => new("directory", CheckpointIdentifier.Validate(job, "job id"), DefaultRoot, null);

    /// <summary>A store's location as the run records it: a root inside the run directory is kept relative.</summary>
    public static RunCheckpointLocation Of(CheckpointStoreLocation store, string job, string runDirectory)
    {
        CheckpointIdentifier.Validate(job, "job id");
        if (store.Kind == CheckpointStoreKind.Blob) return new("blob", job, null, store.Container);
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(store.Root!));
        var relative = Path.GetRelativePath(Path.GetFullPath(runDirectory), root);
        return new("directory", job, relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? root : relative, null);
    }

    /// <summary>A job id for a run folder name: lower case, other characters '-', at most 63 characters.</summary>
    public static string JobIdFor(string runName)
    {
        var chars = runName.ToLowerInvariant().Select(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-' or '.' ? c : '-').ToArray();
        var id = new string(chars).Replace("..", "-", StringComparison.Ordinal);
        id = (id.Length > 63 ? id[..63] : id).TrimEnd('-', '.', '_');
        return CheckpointIdentifier.IsValid(id) ? id : "run";
    }

    public void Write(string runDirectory) => AtomicFile.WriteAllText(Path.Combine(runDirectory, FileName), JsonSerializer.Serialize(this, Json));

    /// <summary>The run's location; refuses the old in-process layout and says why a run has none.</summary>
    public static RunCheckpointLocation Read(string runDirectory)
    {
        var checkpoints = Path.Combine(runDirectory, DefaultRoot);
        if (File.Exists(Path.Combine(checkpoints, "latest.json")) || (Directory.Exists(checkpoints) && Directory.EnumerateDirectories(checkpoints, "step-*").Any()))
            throw new InvalidDataException($"{runDirectory}: checkpoints in the old in-process layout (checkpoints/step-N + latest.json) are no longer read; retrain the run (checkpoints are now checkpoints/JOB/OWNER/pointer.json + objects/, docs/training.md)");
        var file = Path.Combine(runDirectory, FileName);
        if (!File.Exists(file)) return Infer(runDirectory, checkpoints);
        RunCheckpointLocation? location;
        try { location = JsonSerializer.Deserialize<RunCheckpointLocation>(File.ReadAllText(file)); }
        catch (JsonException e) { throw new InvalidDataException($"{file}: not valid JSON ({e.Message})"); }
        if (location is null || !CheckpointIdentifier.IsValid(location.Job))
            throw new InvalidDataException($"{file}: 'job' must be a checkpoint identifier, found \"{location?.Job}\"");
        return location.Kind switch
        {
            "directory" when !string.IsNullOrWhiteSpace(location.Root) => location,
            "blob" when !string.IsNullOrWhiteSpace(location.Container) => location,
            _ => throw new InvalidDataException($"{file}: expected kind \"directory\" with a root or \"blob\" with a container, found kind \"{location.Kind}\""),
        };
    }

    /// <summary>The directory root, resolved against the run directory.</summary>
    public string RootIn(string runDirectory) => Path.GetFullPath(Path.Combine(runDirectory, Root ?? DefaultRoot));

    /// <summary>Opens the store; a Blob store takes its connection string from the environment.</summary>
    public ICheckpointStore OpenStore(string runDirectory, int keep = 3) => Kind == "blob"
        ? CheckpointStoreFactory.Create(new CheckpointStoreOptions { Kind = CheckpointStoreKind.Blob, Container = Container!, Keep = keep })
        : new DirectoryCheckpointStore(RootIn(runDirectory), keep);

    public string Describe(string runDirectory) => Kind == "blob" ? $"blob container {Container}, job {Job}" : $"{Path.Combine(RootIn(runDirectory), Job)}";

    private static RunCheckpointLocation Infer(string runDirectory, string checkpoints)
    {
        var jobs = Directory.Exists(checkpoints)
            ? Directory.GetDirectories(checkpoints).Select(Path.GetFileName).Where(CheckpointIdentifier.IsValid).ToList()
            : [];
        return jobs.Count == 1
            ? InRun(jobs[0]!)
            : throw new InvalidDataException(jobs.Count == 0
                ? $"{runDirectory}: no checkpoints ({FileName} missing and checkpoints/ holds no job)"
                : $"{runDirectory}: {FileName} missing and checkpoints/ holds several jobs ({string.Join(", ", jobs)})");
    }
}
