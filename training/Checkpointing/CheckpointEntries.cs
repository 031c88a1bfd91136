using System.Globalization;
using Accept.Training.Checkpointing.Store;

namespace Accept.Training.Checkpointing;

/// <summary>
/// Reads checkpoint objects into task and codebook states, checking what a hash cannot: that the parts
/// decode (tensor headers included), that the object's step agrees with the task state inside it, and that
/// the step is possible for the run. A checkpoint that fails is skipped with its reason, like a corrupt one.
/// </summary>
internal static class CheckpointEntries
{
    /// <summary>A verified task object: its step, the codebook version it pairs with, and its bytes (decoded again when chosen).</summary>
    internal sealed record TaskEntry(LoadedCheckpoint Loaded, long Step, long? CodebookVersion, bool Completed, string Source)
    {
        public TaskCheckpoint Decode() => TaskCheckpoint.FromBytes(Loaded.Content.Parts[CheckpointParts.Task], Source);
    }

    internal sealed record CodebookEntry(LoadedCheckpoint Loaded, long Version, string Source)
    {
        public CodebookCheckpoint Decode() => CodebookCheckpoint.FromBytes(Loaded.Content.Parts[CheckpointParts.Codebook], Source);
    }

    /// <summary>The scope's usable task checkpoints, newest first; each rejected one adds a line to <paramref name="notes"/>.</summary>
    public static List<TaskEntry> Tasks(ICheckpointStore store, CheckpointScope scope, string task, long maxSteps, List<string> notes)
    {
        var result = new List<TaskEntry>();
        foreach (var loaded in Verified(store, scope, notes))
        {
            var source = $"checkpoint {scope}/{loaded.Info.ObjectName}";
            try
            {
                result.Add(ReadTask(loaded, task, maxSteps, source));
            }
            catch (InvalidDataException e)
            {
                notes.Add($"{source} skipped: {e.Message}");
            }
        }
        return result;
    }

    public static List<CodebookEntry> Codebooks(ICheckpointStore store, CheckpointScope scope, string group, List<string> notes)
    {
        var result = new List<CodebookEntry>();
        foreach (var loaded in Verified(store, scope, notes))
        {
            var source = $"checkpoint {scope}/{loaded.Info.ObjectName}";
            try
            {
                if (!loaded.Content.Parts.ContainsKey(CheckpointParts.Codebook)) throw new InvalidDataException("no codebook part");
                using var decoded = CodebookCheckpoint.FromBytes(loaded.Content.Parts[CheckpointParts.Codebook], source);
                if (decoded.GroupName != group) throw new InvalidDataException($"holds group '{decoded.GroupName}', not '{group}'");
                if (loaded.Content.Metadata.TryGetValue(CheckpointParts.Version, out var v) && v != decoded.Version.ToString(CultureInfo.InvariantCulture))
                    throw new InvalidDataException($"metadata version {v} disagrees with the codebook state's version {decoded.Version}");
                result.Add(new CodebookEntry(loaded, decoded.Version, source));
            }
            catch (InvalidDataException e)
            {
                notes.Add($"{source} skipped: {e.Message}");
            }
        }
        return result;
    }

    internal static TaskEntry ReadTask(LoadedCheckpoint loaded, string task, long maxSteps, string source)
    {
        if (!loaded.Content.Parts.TryGetValue(CheckpointParts.Task, out var bytes)) throw new InvalidDataException("no task part");
        using var decoded = TaskCheckpoint.FromBytes(bytes, source);
        var state = decoded.State;
        if (state.Task != task) throw new InvalidDataException($"holds task '{state.Task}', not '{task}'");
        Validate(state, maxSteps, source);
        var meta = loaded.Content.Metadata;
        if (!meta.TryGetValue(CheckpointParts.Step, out var stepText) || !long.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out var step))
            throw new InvalidDataException($"metadata '{CheckpointParts.Step}' is missing or not a step (\"{stepText}\")");
        if (step != state.Step) throw new InvalidDataException($"metadata step {step} disagrees with the task state's step {state.Step}");
        long? version = meta.TryGetValue(CheckpointParts.CodebookVersion, out var v) && long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        return new TaskEntry(loaded, step, version, meta.GetValueOrDefault(CheckpointParts.State) == CheckpointParts.Completed || state.Step == maxSteps, source);
    }

    /// <summary>A task state no run could have written: a step below zero or beyond the run's steps, a negative data position.</summary>
    public static void Validate(TaskSessionState state, long maxSteps, string source)
    {
        if (state.Step < 0 || state.Step > maxSteps)
            throw new InvalidDataException($"{source}: task state step {state.Step} is outside the run's 0..{maxSteps} steps");
        if (state.Epoch < 0 || state.Position < 0 || state.Skipped < 0 || state.Tokens < 0)
            throw new InvalidDataException($"{source}: task state has a negative epoch, position, skipped or tokens count");
    }

    private static IReadOnlyList<LoadedCheckpoint> Verified(ICheckpointStore store, CheckpointScope scope, List<string> notes)
    {
        IReadOnlyList<LoadedCheckpoint> all;
        try
        {
            all = store.LoadVerifiedAsync(scope).GetAwaiter().GetResult();
        }
        catch (CheckpointCorruptException e)
        {
            notes.Add(e.Message);
            return [];
        }
        if (all.Count > 0) notes.AddRange(all[0].Skipped.Select(s => $"skipped corrupt checkpoint {s}"));
        return all;
    }
}
