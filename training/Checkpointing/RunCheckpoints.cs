using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Accept.Training.IO;

namespace Accept.Training.Checkpointing;

/// <summary>
/// A run's <c>checkpoints/</c>: periodic checkpoints in <c>step-NNNNNNNN/</c> folders with <c>latest.json</c>
/// pointing at the newest complete one, and per task the best evaluation's state in
/// <c>best/TASK-step-N/</c> (the task and its group's codebooks then) with <c>best/TASK.json</c> pointing at
/// it. A folder is written completely before its pointer switches, so a crash never exposes half of one.
/// </summary>
public sealed partial class RunCheckpoints
{
    private const string LatestPointer = "latest.json";
    private const int KeepPeriodic = 2;

    public RunCheckpoints(string path) => Path = System.IO.Path.GetFullPath(path);

    public string Path { get; }
    private string BestPath => System.IO.Path.Combine(Path, "best");

    public CheckpointFolder Save(long step, int dModel, double elapsedSeconds, IEnumerable<TaskCheckpoint> tasks, IEnumerable<CodebookCheckpoint> groups)
    {
        var name = $"step-{step.ToString("D8", CultureInfo.InvariantCulture)}";
        var folder = CheckpointFolder.Write(System.IO.Path.Combine(Path, name), step, dModel, elapsedSeconds, tasks, groups);
        WritePointer(System.IO.Path.Combine(Path, LatestPointer), name);
        foreach (var old in Directory.GetDirectories(Path, "step-*").Select(System.IO.Path.GetFileName).OfType<string>()
                     .Where(n => StepFolder().IsMatch(n)).Order(StringComparer.Ordinal).SkipLast(KeepPeriodic))
            Directory.Delete(System.IO.Path.Combine(Path, old), recursive: true);
        return folder;
    }

    public CheckpointFolder SaveBest(string task, long step, int dModel, double elapsedSeconds, TaskCheckpoint state, CodebookCheckpoint codebooks)
    {
        var previous = ReadPointer(System.IO.Path.Combine(BestPath, task + ".json"));
        var name = $"{task}-step-{step.ToString("D8", CultureInfo.InvariantCulture)}";
        var folder = CheckpointFolder.Write(System.IO.Path.Combine(BestPath, name), step, dModel, elapsedSeconds, [state], [codebooks]);
        WritePointer(System.IO.Path.Combine(BestPath, task + ".json"), name);
        if (previous is not null && previous != name) Directory.Delete(System.IO.Path.Combine(BestPath, previous), recursive: true);
        return folder;
    }

    /// <summary>The newest complete periodic (or final) checkpoint, or null when there is none.</summary>
    public CheckpointFolder? Latest() =>
        ReadPointer(System.IO.Path.Combine(Path, LatestPointer)) is { } name ? CheckpointFolder.Open(System.IO.Path.Combine(Path, name)) : null;

    /// <summary>The state at the task's best evaluation, or null when it has none.</summary>
    public CheckpointFolder? Best(string task) =>
        ReadPointer(System.IO.Path.Combine(BestPath, task + ".json")) is { } name ? CheckpointFolder.Open(System.IO.Path.Combine(BestPath, name)) : null;

    private sealed record Pointer([property: JsonPropertyName("folder")] string Folder);

    private static void WritePointer(string path, string folder) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(new Pointer(folder)));

    private static string? ReadPointer(string path)
    {
        if (!File.Exists(path)) return null;
        Pointer? pointer;
        try { pointer = JsonSerializer.Deserialize<Pointer>(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: malformed checkpoint pointer: {e.Message}", e); }
        var folder = pointer?.Folder;
        // Only a plain folder name beside the pointer: a pointer never leads outside the run.
        if (folder is null || !SafeFolder().IsMatch(folder))
            throw new InvalidDataException($"{path}: checkpoint pointer must name a folder beside it, found \"{folder}\"");
        return folder;
    }

    [GeneratedRegex("^step-[0-9]{8,}$")]
    private static partial Regex StepFolder();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]*$")]
    private static partial Regex SafeFolder();
}
