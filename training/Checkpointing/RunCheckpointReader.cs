using Accept.Training.Checkpointing.Store;
using Accept.Training.Config;

namespace Accept.Training.Checkpointing;

/// <summary>
/// Opens any run directory — written in-process, by the embedded cluster, or by a Redis cluster with a
/// directory or Blob checkpoint store (<see cref="RunCheckpointLocation"/>) — and loads what it trained.
/// A corrupt or inconsistent newest checkpoint is skipped for the previous one, and the skip is reported in
/// <see cref="TrainedTask.Notes"/>; when no checkpoint of a scope is usable the error names every reason.
/// <example>
/// <code>
/// var run = RunCheckpointReader.Open("runs/20261130-120000-demo");
/// using var trained = run.LoadTask("spam", CheckpointChoice.Best);
/// foreach (var note in trained.Notes) Console.Error.WriteLine($"warning: {note}");
/// using var adapter = new TaskAdapter(trained.Task, run.Spec.Method.ToLayout(dModel), run.Spec.Optimization.Seed);
/// adapter.LoadStateDict(trained.State.Tensors);              // P, ΔE parts and their moments
/// var codebooks = trained.Codebooks.Codebooks;                // the group's codebooks at that step
/// </code>
/// </example>
/// </summary>
public sealed class RunCheckpointReader
{
    private RunCheckpointReader(string runDirectory, RunSpec spec, RunCheckpointLocation location, ICheckpointStore store)
    {
        RunDirectory = runDirectory;
        Spec = spec;
        Location = location;
        Store = store;
    }

    public string RunDirectory { get; }

    /// <summary>The run's resolved spec (<c>spec.json</c>).</summary>
    public RunSpec Spec { get; }

    public RunCheckpointLocation Location { get; }

    public ICheckpointStore Store { get; }

    public IReadOnlyList<string> TaskNames => Spec.Tasks.Select(t => t.Name).ToList();

    /// <summary>Reads <c>spec.json</c> and <c>checkpoint-store.json</c>; refuses the old in-process layout.</summary>
    /// <param name="store">The store to read instead of opening the one <c>checkpoint-store.json</c> names (tests, tools holding a client already).</param>
    public static RunCheckpointReader Open(string runDirectory, ICheckpointStore? store = null)
    {
        var full = Path.GetFullPath(runDirectory);
        if (!Directory.Exists(full)) throw new DirectoryNotFoundException($"run directory '{full}' does not exist");
        var specPath = Path.Combine(full, "spec.json");
        if (!File.Exists(specPath)) throw new InvalidDataException($"{full}: not a run directory (spec.json missing)");
        var spec = RunSpecReader.Read(specPath);
        var location = RunCheckpointLocation.Read(full);
        return new RunCheckpointReader(full, spec, location, store ?? location.OpenStore(full));
    }

    public string GroupOf(string task) =>
        Spec.Tasks.FirstOrDefault(t => t.Name == task)?.CodebookGroup
        ?? throw new ArgumentException($"--task: the run has no task '{task}' (tasks: {string.Join(", ", TaskNames)})");

    /// <summary>
    /// The task's state and its group's codebooks: the newest usable checkpoint (<see cref="CheckpointChoice.Last"/>)
    /// or the one at its best validation metric (<see cref="CheckpointChoice.Best"/>; a task never evaluated falls back to Last).
    /// </summary>
    public TrainedTask LoadTask(string task, CheckpointChoice which = CheckpointChoice.Best)
    {
        var group = GroupOf(task);
        var notes = new List<string>();
        if (which == CheckpointChoice.Best)
        {
            var best = CheckpointEntries.Tasks(Store, Scope(CheckpointOwners.Best(task)), task, Spec.Optimization.Steps, notes)
                .FirstOrDefault(e => e.Loaded.Content.Parts.ContainsKey(CheckpointParts.Codebook));
            if (best is not null)
            {
                var state = best.Decode();
                try
                {
                    var codebooks = CodebookCheckpoint.FromBytes(best.Loaded.Content.Parts[CheckpointParts.Codebook], best.Source);
                    return new TrainedTask(task, group, CheckpointChoice.Best, best.Step, state, codebooks, notes);
                }
                catch
                {
                    state.Dispose();
                    throw;
                }
            }
            notes.Add($"task '{task}' has no best checkpoint (never evaluated): using its last one");
        }
        var last = CheckpointEntries.Tasks(Store, Scope(CheckpointOwners.Task(task)), task, Spec.Optimization.Steps, notes).FirstOrDefault()
            ?? throw new InvalidDataException($"{RunDirectory}: no usable checkpoint of task '{task}' in {Location.Describe(RunDirectory)}{Reasons(notes)}");
        var groups = CheckpointEntries.Codebooks(Store, Scope(CheckpointOwners.Codebook(group)), group, notes);
        var pair = groups.FirstOrDefault(g => g.Version == last.CodebookVersion) ?? groups.FirstOrDefault()
            ?? throw new InvalidDataException($"{RunDirectory}: no usable checkpoint of codebook group '{group}'{Reasons(notes)}");
        if (pair.Version != last.CodebookVersion)
            notes.Add($"task '{task}' at step {last.Step} used codebook version {last.CodebookVersion}; no checkpoint of group '{group}' holds it, using version {pair.Version}");
        var taskState = last.Decode();
        try
        {
            return new TrainedTask(task, group, CheckpointChoice.Last, last.Step, taskState, pair.Decode(), notes);
        }
        catch
        {
            taskState.Dispose();
            throw;
        }
    }

    /// <summary>The group's newest usable checkpoint (codebooks and their optimizer state).</summary>
    public CodebookCheckpoint LoadGroup(string group)
    {
        if (!Spec.CodebookGroups.ContainsKey(group)) throw new ArgumentException($"the run has no codebook group '{group}'");
        var notes = new List<string>();
        return (CheckpointEntries.Codebooks(Store, Scope(CheckpointOwners.Codebook(group)), group, notes).FirstOrDefault()
            ?? throw new InvalidDataException($"{RunDirectory}: no usable checkpoint of codebook group '{group}'{Reasons(notes)}")).Decode();
    }

    /// <summary>As <see cref="LoadTask"/> for every task of the run, in spec order.</summary>
    public IReadOnlyList<TrainedTask> LoadTasks(CheckpointChoice which = CheckpointChoice.Best) => TaskNames.Select(t => LoadTask(t, which)).ToList();

    /// <summary>
    /// What a resumed run starts from: per codebook group the newest checkpoint whose version every member
    /// task has a checkpoint for (a finished member may be at an older version), and those task checkpoints.
    /// Sync runs always have one; otherwise (async runs) each scope's newest, with a note.
    /// </summary>
    public ResumePoint LoadResumePoint()
    {
        var notes = new List<string>();
        var tasks = new Dictionary<string, TaskCheckpoint>();
        var groups = new Dictionary<string, CodebookCheckpoint>();
        double elapsed = 0;
        try
        {
            foreach (var (group, members) in Spec.CodebookGroups)
            {
                var entries = members.ToDictionary(m => m,
                    m => CheckpointEntries.Tasks(Store, Scope(CheckpointOwners.Task(m)), m, Spec.Optimization.Steps, notes));
                foreach (var (member, list) in entries)
                    if (list.Count == 0) throw new InvalidDataException($"{RunDirectory}: no usable checkpoint of task '{member}' to resume from{Reasons(notes)}");
                var versions = CheckpointEntries.Codebooks(Store, Scope(CheckpointOwners.Codebook(group)), group, notes);
                if (versions.Count == 0) throw new InvalidDataException($"{RunDirectory}: no usable checkpoint of codebook group '{group}' to resume from{Reasons(notes)}");
                var chosen = versions.Select(v => (Group: v, Tasks: entries.ToDictionary(e => e.Key, e => e.Value.FirstOrDefault(t =>
                        t.CodebookVersion == v.Version || (t.Completed && t.CodebookVersion <= v.Version)))))
                    .FirstOrDefault(c => c.Tasks.Values.All(t => t is not null));
                if (chosen.Group is null)
                {
                    notes.Add($"group '{group}': no checkpoint pairs with every member's; resuming each from its newest");
                    chosen = (versions[0], entries.ToDictionary(e => e.Key, e => (CheckpointEntries.TaskEntry?)e.Value[0]));
                }
                groups[group] = chosen.Group.Decode();
                foreach (var (member, entry) in chosen.Tasks)
                {
                    tasks[member] = entry!.Decode();
                    if (double.TryParse(entry.Loaded.Content.Metadata.GetValueOrDefault(CheckpointParts.ElapsedSeconds), System.Globalization.CultureInfo.InvariantCulture, out var s))
                        elapsed = Math.Max(elapsed, s);
                }
            }
            return new ResumePoint(tasks, groups, elapsed, notes);
        }
        catch
        {
            foreach (var t in tasks.Values) t.Dispose();
            foreach (var g in groups.Values) g.Dispose();
            throw;
        }
    }

    private CheckpointScope Scope(string owner) => new(Location.Job, owner);

    private static string Reasons(List<string> notes) => notes.Count == 0 ? "" : $": {string.Join("; ", notes)}";
}
