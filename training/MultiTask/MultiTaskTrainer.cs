using System.Diagnostics;
using System.Globalization;
using Accept.Training.Checkpointing;
using Accept.Training.Checkpointing.Store;
using Accept.Training.Config;
using Accept.Training.Devices;
using Accept.Training.Evaluation;
using Accept.Training.IO;
using Accept.Training.Prompts;
using Accept.Training.Runs;
using Accept.Training.T5;
using static TorchSharp.torch;

namespace Accept.Training.MultiTask;

/// <summary>
/// Multi-task ACCEPT training in one process, the sync mode of the distributed layer without grains:
/// each step every unfinished task steps against its group's codebooks at version v, then each group's
/// <see cref="SyncRound"/> applies the mean of its tasks' gradients (the gradient of the mean of the
/// per-task mean losses) and moves to v+1; tasks evaluate every eval_every steps and at the end, keeping
/// their best state; checkpoints every checkpoint_every steps, at the end and when stopped early.
/// Deterministic on CPU for a seed, and a resumed run continues to the same numbers. Sessions and codebook
/// groups live on the run's device (the backbone's); what leaves the run (checkpoints, metrics, the
/// summary) is on the CPU or plain numbers.
/// </summary>
public sealed class MultiTaskTrainer : IDisposable
{
    private readonly RunContext _context;
    private readonly T5Model _backbone;
    private readonly RunDirectory _run;
    private readonly ICheckpointStore _store;
    private readonly string _job;
    private readonly string _where;
    private bool _checkpointed;
    private readonly Dictionary<string, TaskSession> _sessions;
    private readonly SortedDictionary<string, CodebookGroup> _groups;
    private readonly double _elapsedBefore;

    private MultiTaskTrainer(RunContext context, T5Model backbone, Device device, RunDirectory run, ITrainingProgress? progress,
        Dictionary<string, TaskSession> sessions, SortedDictionary<string, CodebookGroup> groups, double elapsedBefore, RunCheckpointLocation location)
    {
        _store = location.OpenStore(run.Path);
        _job = location.Job;
        _where = location.Describe(run.Path);
        _checkpointed = elapsedBefore > 0 || sessions.Values.Any(s => s.StepCount > 0);
        _context = context;
        Device = device;
        _backbone = backbone;
        _run = run;
        Progress = progress;
        _sessions = sessions;
        _groups = groups;
        _elapsedBefore = elapsedBefore;
    }

    /// <summary>A fresh run into <paramref name="run"/>; its resolved spec is kept as <c>spec.json</c> for resume and export.</summary>
    /// <param name="device">Where sessions and codebook groups live; the backbone must be there already. Null: the CPU.</param>
    public static MultiTaskTrainer Start(RunContext context, T5Model backbone, RunDirectory run, ITrainingProgress? progress = null, Device? device = null)
    {
        device ??= CPU;
        CheckBackbone(context, backbone, device);
        AtomicFile.WriteAllText(run.SpecPath, RunSpecWriter.ToJson(context.Spec));
        var location = RunCheckpointLocation.InRun(RunCheckpointLocation.JobIdFor(run.Name));
        location.Write(run.Path);
        var (sessions, groups) = Build(context, device);
        return new MultiTaskTrainer(context, backbone, device, run, progress, sessions, groups, 0, location);
    }

    /// <summary>
    /// Continues <paramref name="run"/> from its checkpoints (<see cref="RunCheckpointReader.LoadResumePoint"/>),
    /// whichever mode wrote them; new checkpoints go to the same store and job. Open the directory with
    /// <see cref="ResumePoint.Step"/> as the last metrics step kept.
    /// </summary>
    /// <param name="device">As for <see cref="Start"/>: checkpoints are CPU tensors and load onto any device.</param>
    public static MultiTaskTrainer Resume(RunContext context, T5Model backbone, RunDirectory run, ResumePoint point, ITrainingProgress? progress = null, Device? device = null)
    {
        device ??= CPU;
        CheckBackbone(context, backbone, device);
        var location = RunCheckpointLocation.Read(run.Path);
        var (sessions, groups) = Build(context, device);
        try
        {
            foreach (var (name, session) in sessions)
            {
                var state = point.Tasks.GetValueOrDefault(name) ?? throw new InvalidDataException($"{run.Path}: the checkpoint holds no task '{name}'");
                if (state.State.Step > session.TotalSteps)
                    throw new InvalidDataException($"{run.Path}: task '{name}' is checkpointed at step {state.State.Step}, beyond the {session.TotalSteps} steps asked for");
                session.Restore(state);
            }
            foreach (var (name, group) in groups)
                (point.Groups.GetValueOrDefault(name) ?? throw new InvalidDataException($"{run.Path}: the checkpoint holds no codebook group '{name}'")).Restore(group);
        }
        catch
        {
            foreach (var s in sessions.Values) s.Dispose();
            foreach (var g in groups.Values) g.Dispose();
            throw;
        }
        return new MultiTaskTrainer(context, backbone, device, run, progress, sessions, groups, Math.Max(point.ElapsedSeconds, 1e-9), location);
    }

    /// <summary>As the other overload, reading the resume point from the run directory.</summary>
    public static MultiTaskTrainer Resume(RunContext context, T5Model backbone, RunDirectory run, ITrainingProgress? progress = null, Device? device = null)
    {
        using var point = RunCheckpointReader.Open(run.Path).LoadResumePoint();
        return Resume(context, backbone, run, point, progress, device);
    }

    /// <summary>The step a run directory would resume from (every task has reached it).</summary>
    public static long LatestCheckpointStep(string runDirectory)
    {
        using var point = RunCheckpointReader.Open(runDirectory).LoadResumePoint();
        return point.Step;
    }

    public IReadOnlyDictionary<string, TaskSession> Sessions => _sessions;
    public IReadOnlyDictionary<string, CodebookGroup> Groups => _groups;
    public RunDirectory Run => _run;

    /// <summary>The device the run trains on.</summary>
    public Device Device { get; }

    /// <summary>Told of every task step, evaluation and checkpoint (may be set before <see cref="Train"/>).</summary>
    public ITrainingProgress? Progress { get; set; }

    /// <summary>Steps completed by every task.</summary>
    public long Step => _sessions.Values.Min(s => s.StepCount);

    /// <summary>
    /// Trains until every task has finished, or until <paramref name="stopAfterStep"/> or cancellation (then a
    /// checkpoint is written so the run can resume). Writes the summary and the curves either way.
    /// </summary>
    public RunSummary Train(long? stopAfterStep = null, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        var startSteps = _sessions.ToDictionary(s => s.Key, s => s.Value.StepCount);
        long lastCheckpoint = Step;
        while (_sessions.Values.Any(s => !s.Finished) && !(Step >= stopAfterStep) && !cancellation.IsCancellationRequested)
        {
            StepAll(clock, startSteps);
            EvaluateDue(clock);
            if (_context.Spec.CheckpointEvery > 0 && Step % _context.Spec.CheckpointEvery == 0)
            {
                SaveCheckpoint(clock);
                lastCheckpoint = Step;
            }
        }
        if (lastCheckpoint != Step || !_checkpointed) SaveCheckpoint(clock);
        var summary = Summary(clock, _sessions.Values.All(s => s.Finished) ? TestMetrics.OfBest(_run.Path, _context, _backbone, Device) : null);
        _run.WriteSummary(summary);
        _run.WritePlot();
        return summary;
    }

    private void StepAll(Stopwatch clock, Dictionary<string, long> startSteps)
    {
        var rounds = _groups.ToDictionary(g => g.Key,
            g => new SyncRound(g.Value, _sessions.Values.Where(s => s.GroupName == g.Key && !s.Finished).Select(s => s.TaskName)));
        var stepped = new List<(TaskSession Session, float Loss, double Lr, bool Skipped)>();
        try
        {
            foreach (var task in _context.TaskNames)
            {
                var session = _sessions[task];
                if (session.Finished) continue;
                var group = _groups[session.GroupName];
                double lr = session.PromptLearningRate;
                using var outcome = session.Step(_backbone, group.Codebooks);
                if (outcome.Skipped) rounds[session.GroupName].SubmitSkipped(task);
                else rounds[session.GroupName].Submit(task, outcome.CodebookGradients);
                _run.Append(new MetricRecord(session.StepCount, task, Loss: float.IsFinite(outcome.Loss) ? outcome.Loss : null, LearningRate: lr,
                    CodebookVersion: group.Version));
                stepped.Add((session, outcome.Loss, lr, outcome.Skipped));
            }
            foreach (var round in rounds.Values) round.Close();
        }
        finally
        {
            foreach (var round in rounds.Values) round.Dispose();
        }
        foreach (var (session, loss, lr, skipped) in stepped)
        {
            double rate = (session.StepCount - startSteps[session.TaskName]) / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
            Progress?.TaskStepped(new TaskProgress(session.TaskName, session.StepCount, session.TotalSteps, loss, lr, skipped,
                session.LastMetric, session.BestMetric, MetricNames.Of(session.Metric), rate, _groups[session.GroupName].Version));
        }
    }

    private void EvaluateDue(Stopwatch clock)
    {
        foreach (var task in _context.TaskNames)
        {
            var session = _sessions[task];
            if (!session.EvaluationDue) continue;
            var group = _groups[session.GroupName];
            var result = session.Evaluate(_backbone, group.Codebooks);
            _run.Append(new MetricRecord(result.Step, task, Metric: result.Value, MetricName: MetricNames.Of(result.Metric), CodebookVersion: group.Version));
            if (result.IsBest)
            {
                using var state = session.Capture();
                using var codebooks = CodebookCheckpoint.Capture(group);
                Save(CheckpointOwners.Best(task), new() { [CheckpointParts.Task] = state.ToBytes(), [CheckpointParts.Codebook] = codebooks.ToBytes() },
                    TaskMetadata(session, group, clock));
            }
            Progress?.Evaluated(result);
        }
    }

    /// <summary>Every task, then every group, each into its own scope of the run's store (the layout the grains write).</summary>
    private void SaveCheckpoint(Stopwatch clock)
    {
        foreach (var session in _sessions.Values)
        {
            using var state = session.Capture();
            Save(CheckpointOwners.Task(session.TaskName), new() { [CheckpointParts.Task] = state.ToBytes() }, TaskMetadata(session, _groups[session.GroupName], clock));
        }
        foreach (var group in _groups.Values)
        {
            using var state = CodebookCheckpoint.Capture(group);
            Save(CheckpointOwners.Codebook(group.Name), new() { [CheckpointParts.Codebook] = state.ToBytes() },
                new() { [CheckpointParts.Version] = group.Version.ToString(CultureInfo.InvariantCulture) });
        }
        _checkpointed = true;
        Progress?.Checkpointed(Step, _where);
    }

    private void Save(string owner, Dictionary<string, byte[]> parts, Dictionary<string, string> metadata) =>
        _store.SaveAsync(new CheckpointScope(_job, owner), new CheckpointContent(parts, metadata)).GetAwaiter().GetResult();

    private Dictionary<string, string> TaskMetadata(TaskSession session, CodebookGroup group, Stopwatch clock) => new()
    {
        [CheckpointParts.Step] = session.StepCount.ToString(CultureInfo.InvariantCulture),
        [CheckpointParts.CodebookVersion] = group.Version.ToString(CultureInfo.InvariantCulture),
        [CheckpointParts.State] = session.Finished ? CheckpointParts.Completed : CheckpointParts.Running,
        [CheckpointParts.ElapsedSeconds] = Elapsed(clock).ToString("R", CultureInfo.InvariantCulture),
    };

    private double Elapsed(Stopwatch clock) => _elapsedBefore + clock.Elapsed.TotalSeconds;

    private RunSummary Summary(Stopwatch clock, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>? test)
    {
        double elapsed = Elapsed(clock);
        long tokens = _sessions.Values.Sum(s => s.Tokens);
        var tasks = _context.TaskNames.ToDictionary(name => name, name => _sessions[name].Summarise() with { Test = test?.GetValueOrDefault(name) });
        return new RunSummary(_run.Name, "in-process", elapsed, elapsed > 0 ? tokens / elapsed : 0, tasks);
    }

    private static void CheckBackbone(RunContext context, T5Model backbone, Device device)
    {
        if (backbone.Config.DModel != context.Layout.DModel || backbone.Config.VocabSize != context.BackboneConfig.VocabSize)
            throw new ArgumentException($"the backbone given (d_model {backbone.Config.DModel}, vocab {backbone.Config.VocabSize}) is not the run's {context.BackboneDirectory}");
        if (!DeviceSelection.Same(backbone.Device, device))
            throw new ArgumentException($"the backbone is on {backbone.Device} but the run trains on {device}; load it with T5Model.Load(directory, device)");
    }

    private static (Dictionary<string, TaskSession>, SortedDictionary<string, CodebookGroup>) Build(RunContext context, Device device)
    {
        var sessions = new Dictionary<string, TaskSession>();
        var groups = new SortedDictionary<string, CodebookGroup>(StringComparer.Ordinal);
        try
        {
            foreach (var group in context.Groups.Keys) groups[group] = CodebookGroups.Create(context, group, device);
            foreach (var task in context.TaskNames) sessions[task] = TaskSession.Create(context, task, device);
            return (sessions, groups);
        }
        catch
        {
            foreach (var s in sessions.Values) s.Dispose();
            foreach (var g in groups.Values) g.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var s in _sessions.Values) s.Dispose();
        foreach (var g in _groups.Values) g.Dispose();
    }
}
