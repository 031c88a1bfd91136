namespace Accept.Training.Sweeps;

/// <summary>
/// A hyperparameter sweep, as read from a sweep spec (docs/sweeps.md): a base run spec, the parameters to
/// vary by dotted run-spec path, how trials are drawn, what is optimised and which scheduler stops or
/// exploits trials.
/// </summary>
/// <param name="BaseRunSpecJson">The base run spec as JSON text (inline, or read from the file the spec names).</param>
/// <param name="MaxConcurrentTrials">Trials running at once; null: what the workers' slots hold.</param>
public sealed record SweepSpec(
    string BaseRunSpecJson,
    IReadOnlyList<ParameterSpec> Parameters,
    SearchSpec Search,
    ObjectiveSpec Objective,
    SchedulerSpec Scheduler,
    int? MaxConcurrentTrials);

public enum Distribution
{
    LogUniform,
    Uniform,
    IntUniform,
    Choice,
    Grid,
}

/// <summary>One varied run-spec key.</summary>
/// <param name="Path">Dotted run-spec path, e.g. <c>optimization.learning_rate</c> or <c>tasks.0.max_length</c>.</param>
/// <param name="Low">Lower bound of a range distribution.</param>
/// <param name="High">Upper bound of a range distribution (inclusive for int_uniform).</param>
/// <param name="Values">The raw JSON values of a choice or grid.</param>
public sealed record ParameterSpec(string Path, Distribution Distribution, double Low, double High, IReadOnlyList<string> Values)
{
    public bool IsDiscrete => Distribution is Distribution.Choice or Distribution.Grid;
}

public enum SearchKind
{
    Grid,
    Random,
}

/// <param name="Trials">How many trials random search draws; grid search runs the whole product.</param>
public sealed record SearchSpec(SearchKind Kind, int Trials, long Seed);

public enum ObjectiveKind
{
    /// <summary>Mean over the tasks of the mean training loss of the (up to) 10 steps ending at the step.</summary>
    Loss,

    /// <summary>Mean over the tasks of their latest validation metric at or before the step.</summary>
    Metric,

    /// <summary>One task's latest validation metric at or before the step.</summary>
    Task,
}

public enum ObjectiveMode
{
    Min,
    Max,
}

/// <param name="Task">The task of <see cref="ObjectiveKind.Task"/>.</param>
public sealed record ObjectiveSpec(ObjectiveKind Kind, string? Task, ObjectiveMode Mode)
{
    public string Name => Kind == ObjectiveKind.Task ? $"task:{Task}" : Kind.ToString().ToLowerInvariant();

    /// <summary>True when <paramref name="a"/> is strictly better than <paramref name="b"/>.</summary>
    public bool IsBetter(double a, double b) => Mode == ObjectiveMode.Min ? a < b : a > b;
}

public enum SchedulerKind
{
    Fifo,
    Asha,
    Pbt,
}

/// <summary>
/// FIFO runs every trial to the end. ASHA: rungs at <c>GraceSteps·η^k</c> below <c>MaxSteps</c>. PBT: every
/// <c>IntervalSteps</c> a bottom-<c>Quantile</c> trial copies a top-<c>Quantile</c> trial and perturbs <c>Mutations</c>.
/// </summary>
/// <param name="MaxSteps">Training steps of every trial (overrides the base spec's optimization.steps).</param>
/// <param name="Deterministic">ASHA only: decide rungs in trial order (docs/sweeps.md), so decisions never depend on timing.</param>
public sealed record SchedulerSpec(
    SchedulerKind Kind,
    int GraceSteps,
    int ReductionFactor,
    int MaxSteps,
    int IntervalSteps,
    double Quantile,
    IReadOnlyDictionary<string, IReadOnlyList<double>> Mutations,
    bool Deterministic);
