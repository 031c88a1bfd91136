using Accept.Training.Prompts;
using Accept.Training.T5;

namespace Accept.Training.MultiTask;

/// <summary>Measured result of <see cref="AcceptStepBenchmark"/>.</summary>
/// <param name="Breakdown">Seconds per step by section (see <see cref="StepBreakdown"/>), when asked for.</param>
public sealed record AcceptStepBenchmarkResult(
    double MedianSecondsPerStep, double MinSecondsPerStep, double CpuSecondsPerStep, double TokensPerSecond, double SgemmGflops, double StepGflops,
    int Threads, int Steps, int Batch, int TargetTokens, PromptLayout Layout, T5Config Config, StepTimes? Breakdown = null);
