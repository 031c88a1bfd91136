using Accept.Training.Checkpointing;
using Accept.Training.Config;
using Accept.Training.Data;
using Accept.Training.Engine;
using Accept.Training.Metrics;
using Accept.Training.Prediction;
using Accept.Training.Prompts;
using Accept.Training.Runs;
using Accept.Training.T5;
using static TorchSharp.torch;

namespace Accept.Training.MultiTask;

/// <summary>
/// One task while it trains: its <see cref="TaskAdapter"/> (weights and their AdamW state), its data
/// cursor, step counter, learning-rate schedules and evaluation state. The in-process trainer and the
/// task grain both drive it one <see cref="Step"/> at a time; codebooks come from outside (the group's
/// snapshot at some version) and its codebook gradients go back out in the <see cref="StepOutcome"/>.
/// </summary>
public sealed class TaskSession : IDisposable
{
    private const int LossWindow = 10;

    private readonly RunContext _context;
    private readonly TaskSpec _spec;
    private readonly TaskData _data;
    private readonly Batcher _batcher;
    private readonly DataCursor _cursor;
    private readonly Device? _device;
    private readonly List<double> _firstLosses = [];
    private readonly Queue<double> _recentLosses = new();
    private double? _majorityBaseline;

    private TaskSession(RunContext context, TaskSpec spec, TaskAdapter adapter, bool codebooksFrozen, Device? device)
    {
        _context = context;
        _spec = spec;
        _data = context.Data[spec.Name];
        _device = device;
        Adapter = adapter;
        CodebooksFrozen = codebooksFrozen;
        _batcher = new Batcher(context.Tokenizer, context.Layout.MaxLength, spec.InputLength(context.Spec.Method), spec.MaxTargetLength);
        _cursor = new DataCursor(_data.Train.Count, context.Spec.Optimization.Seed, spec.Name);
    }

    /// <summary>A fresh session with the task's weights drawn from the run's seed (or transferred, when the spec says so).</summary>
    /// <param name="device">Where the weights and batches live (the backbone's device); null: CPU.</param>
    public static TaskSession Create(RunContext context, string taskName, Device? device = null)
    {
        var spec = context.Task(taskName);
        var optimization = context.Spec.Optimization;
        var adapter = new TaskAdapter(taskName, context.Layout, optimization.Seed, optimization.GradClip, device: device);
        try
        {
            if (context.Spec.Transfer is { WeightsFromTask: { } from } transfer)
            {
                using var source = TransferSource.TaskWeights(transfer.Source, from);
                adapter.InitialiseFrom(source.Tensors.Where(t => !t.Key.StartsWith("optim.", StringComparison.Ordinal)).ToDictionary());
            }
            return new TaskSession(context, spec, adapter, context.Spec.Transfer?.FreezeCodebooks ?? false, device);
        }
        catch
        {
            adapter.Dispose();
            throw;
        }
    }

    /// <summary>Where the weights and batches live; null: the CPU.</summary>
    public Device? Device => _device;

    public string TaskName => _spec.Name;
    public string GroupName => _spec.CodebookGroup;
    public TaskAdapter Adapter { get; }
    public MetricKind Metric => _data.Metric;

    /// <summary>True when the run keeps its codebooks fixed: steps take no codebook gradients.</summary>
    public bool CodebooksFrozen { get; }

    /// <summary>Steps taken (skipped ones included): the schedule's position. (Named apart from the <see cref="Step"/> method.)</summary>
    public long StepCount { get; private set; }

    public long TotalSteps => _context.Spec.Optimization.Steps;
    public bool Finished => StepCount >= TotalSteps;

    /// <summary>Steps whose update was refused for a non-finite loss or gradient.</summary>
    public long SkippedSteps => Adapter.SkippedSteps;

    /// <summary>Steps skipped in a row up to now; at optimization.max_consecutive_skips, <see cref="Step"/> throws <see cref="TrainingDivergedException"/>.</summary>
    public int ConsecutiveSkips { get; private set; }

    public long Tokens { get; private set; }
    public double? LastLoss => _recentLosses.Count > 0 ? _recentLosses.Last() : null;

    /// <summary>Mean training loss of the last (up to) 10 steps.</summary>
    public double? RecentLoss => _recentLosses.Count > 0 ? _recentLosses.Average() : null;

    /// <summary>Mean training loss of the first (up to) 10 steps.</summary>
    public double? InitialLoss => _firstLosses.Count > 0 ? _firstLosses.Average() : null;

    public double? BestMetric { get; private set; }
    public long? BestStep { get; private set; }
    public double? LastMetric { get; private set; }
    public long? LastEvalStep { get; private set; }

    public double PromptLearningRate => _context.Spec.Optimization.PromptSchedule.At(StepCount);
    public double AddedLearningRate => _context.Spec.Optimization.AddedSchedule.At(StepCount);

    /// <summary>Every eval_every steps, and once at the end.</summary>
    public bool EvaluationDue => StepCount > 0 && LastEvalStep != StepCount && (StepCount % _context.Spec.Optimization.EvalEvery == 0 || Finished);

    /// <summary>
    /// Draws the next batch, runs <see cref="TaskStepper.Step"/> at this step's learning rates (the task's
    /// own weights are updated) and returns the outcome, whose codebook gradients the caller hands to the
    /// group's round and then disposes. Throws <see cref="TrainingDivergedException"/> when this step makes
    /// optimization.max_consecutive_skips skipped steps in a row.
    /// </summary>
    public StepOutcome Step(T5Model backbone, IReadOnlyDictionary<string, Tensor> codebooks)
    {
        if (Finished) throw new InvalidOperationException($"task '{TaskName}' has finished its {TotalSteps} steps");
        var examples = _cursor.Next(_context.Spec.Optimization.BatchSize).Select(i => _data.Train[i]).ToList();
        using var cpuBatch = _batcher.Build(examples);
        using var deviceBatch = _device is null ? null : cpuBatch.To(_device);
        var outcome = TaskStepper.Step(backbone, Adapter, codebooks, deviceBatch ?? cpuBatch,
            (float)PromptLearningRate, (float)AddedLearningRate, computeCodebookGradients: !CodebooksFrozen);
        StepCount++;
        Tokens += outcome.Tokens;
        ConsecutiveSkips = outcome.Skipped ? ConsecutiveSkips + 1 : 0;
        int limit = _context.Spec.Optimization.MaxConsecutiveSkips;
        if (limit > 0 && ConsecutiveSkips >= limit)
        {
            outcome.Dispose();
            throw new TrainingDivergedException(TaskName, StepCount, ConsecutiveSkips);
        }
        if (float.IsFinite(outcome.Loss))
        {
            if (_firstLosses.Count < LossWindow) _firstLosses.Add(outcome.Loss);
            _recentLosses.Enqueue(outcome.Loss);
            if (_recentLosses.Count > LossWindow) _recentLosses.Dequeue();
        }
        return outcome;
    }

    /// <summary>The validation examples evaluation scores (capped by eval_max_examples, first ones kept).</summary>
    private int EvalCount => Math.Min(_data.Validation.Count, _context.Spec.Optimization.EvalMaxExamples ?? int.MaxValue);

    /// <summary>F1's positive class (<see cref="TaskData.Metrics"/>).</summary>
    private string? PositiveLabel => _data.Metrics.PositiveLabel;

    /// <summary>The metric of always answering the most common training target, on the same validation examples.</summary>
    public double? MajorityBaseline => _majorityBaseline ??= ComputeMajorityBaseline();

    /// <summary>Greedy decoding of the validation examples, scored with the task's metric; updates the best.</summary>
    public EvalResult Evaluate(T5Model backbone, IReadOnlyDictionary<string, Tensor> codebooks)
    {
        int n = EvalCount, batchSize = _context.Spec.Optimization.BatchSize;
        var inputs = _data.Validation.Take(n).Select(e => e.Input).ToList();
        var predictions = new TaskDecoder(backbone, _batcher, _device).Decode(Adapter, codebooks, inputs, batchSize);
        var references = _data.References(TaskSplit.Validation).Take(n).ToList();
        double value = MetricComputer.Compute(Metric, predictions, references, PositiveLabel);
        bool isBest = double.IsFinite(value) && (BestMetric is null || value > BestMetric);
        if (isBest)
        {
            BestMetric = value;
            BestStep = StepCount;
        }
        LastMetric = value;
        LastEvalStep = StepCount;
        return new EvalResult(TaskName, StepCount, Metric, value, isBest, n, predictions.Take(3).ToList());
    }

    /// <summary>This task's entry of a run's summary.json.</summary>
    public TaskSummary Summarise() =>
        new(MetricNames.Of(Metric), RecentLoss, BestMetric, BestStep, MajorityBaseline, StepCount, SkippedSteps) { InitialLoss = InitialLoss };

    /// <summary>The state as CPU tensors (whatever the session's device), ready to be written.</summary>
    public TaskCheckpoint Capture() => new(Detached.Keep(Adapter.StateDict), new TaskSessionState(
        TaskName, StepCount, _cursor.Epoch, _cursor.Position, BestMetric, BestStep, LastEvalStep, LastMetric,
        SkippedSteps, Tokens, _recentLosses.ToList(), _firstLosses.ToList()));

    public void Restore(TaskCheckpoint checkpoint)
    {
        var state = checkpoint.State;
        if (state.Task != TaskName)
            throw new ArgumentException($"checkpoint is for task '{state.Task}', not '{TaskName}'");
        CheckpointEntries.Validate(state, TotalSteps, $"checkpoint of task '{TaskName}'");
        Adapter.LoadStateDict(checkpoint.Tensors);
        _cursor.MoveTo(state.Epoch, state.Position);
        StepCount = state.Step;
        BestMetric = state.BestMetric;
        BestStep = state.BestStep;
        LastEvalStep = state.LastEvalStep;
        LastMetric = state.LastMetric;
        Tokens = state.Tokens;
        _firstLosses.Clear();
        _firstLosses.AddRange(state.FirstLosses);
        _recentLosses.Clear();
        foreach (var loss in state.RecentLosses) _recentLosses.Enqueue(loss);
    }

    private double? ComputeMajorityBaseline()
    {
        var targets = _data.References(TaskSplit.Validation).Take(EvalCount).Select(r => r[0]).ToList();
        try
        {
            var value = MetricComputer.MajorityBaseline(_data.Train.Select(e => e.Target).ToList(), targets, Metric, PositiveLabel);
            return double.IsFinite(value) ? value : null;
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            return null;
        }
    }

    public void Dispose() => Adapter.Dispose();
}
