using System.Diagnostics;
using Accept.Training.Checkpointing;
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
    private readonly RunCheckpoints _checkpoints;
    private readonly Dictionary<string, TaskSession> _sessions;
    private readonly SortedDictionary<string, CodebookGroup> _groups;
    private readonly double _elapsedBefore;

    private MultiTaskTrainer(RunContext context, T5Model backbone, Device device, RunDirectory run, ITrainingProgress? progress,
        Dictionary<string, TaskSession> sessions, SortedDictionary<string, CodebookGroup> groups, double elapsedBefore)
    {
        _context = context;
        Device = device;
        _backbone = backbone;
        _run = run;
        _checkpoints = new RunCheckpoints(run.CheckpointsPath);
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
        var (sessions, groups) = Build(context, device);
        return new MultiTaskTrainer(context, backbone, device, run, progress, sessions, groups, 0);
    }

    /// <summary>
    /// Continues the run whose latest checkpoint is in <paramref name="run"/>'s <c>checkpoints/</c>. Open
    /// the directory with <see cref="LatestCheckpointStep"/> as the last metrics step kept.
    /// </summary>
    /// <param name="device">As for <see cref="Start"/>: checkpoints are CPU tensors and load onto any device.</param>
    public static MultiTaskTrainer Resume(RunContext context, T5Model backbone, RunDirectory run, ITrainingProgress? progress = null, Device? device = null)
    {
        device ??= CPU;
        CheckBackbone(context, backbone, device);
        var folder = new RunCheckpoints(run.CheckpointsPath).Latest()
            ?? throw new InvalidDataException($"{run.Path}: no checkpoint to resume from (checkpoints/latest.json missing)");
        var (sessions, groups) = Build(context, device);
        try
        {
            foreach (var (name, session) in sessions)
            {
                using var state = folder.Task(name);
                session.Restore(state);
            }
            foreach (var (name, group) in groups)
            {
                using var state = folder.Group(name);
                state.Restore(group);
            }
        }
        catch
        {
            foreach (var s in sessions.Values) s.Dispose();
            foreach (var g in groups.Values) g.Dispose();
            throw;
        }
        return new MultiTaskTrainer(context, backbone, device, run, progress, sessions, groups, folder.Manifest.ElapsedSeconds);
    }

    /// <summary>The step of the latest checkpoint in a run directory, or null when it has none.</summary>
    public static long? LatestCheckpointStep(string runDirectory) =>
        new RunCheckpoints(Path.Combine(runDirectory, "checkpoints")).Latest()?.Step;

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
        if (lastCheckpoint != Step || _checkpoints.Latest() is null) SaveCheckpoint(clock);
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
                _checkpoints.SaveBest(task, result.Step, _context.Layout.DModel, Elapsed(clock), state, codebooks);
            }
            Progress?.Evaluated(result);
        }
    }

    private void SaveCheckpoint(Stopwatch clock)
    {
        var tasks = _sessions.Values.Select(s => s.Capture()).ToList();
        var groups = _groups.Values.Select(CodebookCheckpoint.Capture).ToList();
        try
        {
            var folder = _checkpoints.Save(Step, _context.Layout.DModel, Elapsed(clock), tasks, groups);
            Progress?.Checkpointed(Step, folder.Path);
        }
        finally
        {
            foreach (var t in tasks) t.Dispose();
            foreach (var g in groups) g.Dispose();
        }
    }

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
