using Accept.Training.Optim;
using Accept.Training.Prompts;

namespace Accept.Training.Config;

/// <summary>Optimisation: two learning rates (prepended side, added side), linear warm-up/decay, batch, clipping, evaluation cadence, seed,
/// and how many non-finite steps in a row a task tolerates (<see cref="MaxConsecutiveSkips"/>; 0: no limit).</summary>
public sealed record OptimizationSpec(
    double LearningRate,
    double AddedLearningRate,
    int WarmupSteps,
    int Steps,
    int BatchSize,
    double GradClip,
    int EvalEvery,
    long Seed,
    int? EvalMaxExamples,
    int MaxConsecutiveSkips = OptimizationSpec.DefaultMaxConsecutiveSkips)
{
    /// <summary>A task stops with an error after this many steps in a row were skipped for a non-finite loss or gradient.</summary>
    public const int DefaultMaxConsecutiveSkips = 10;

    public static OptimizationSpec Default { get; } = new(0.3, 1e-4, 500, 30_000, 32, 1.0, 1000, 42, null);

    public LinearSchedule PromptSchedule => new(LearningRate, WarmupSteps, Steps);
    public LinearSchedule AddedSchedule => new(AddedLearningRate, WarmupSteps, Steps);

    /// <summary>How a codebook group learns under this optimisation (same schedules and clipping as the tasks).</summary>
    public CodebookGroupOptions CodebookOptions(bool frozen = false) => new(PromptSchedule, AddedSchedule, GradClip, null, frozen);
}
