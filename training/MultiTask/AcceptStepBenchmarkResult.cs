using Accept.Training.Prompts;
using Accept.Training.T5;

namespace Accept.Training.MultiTask;

/// <summary>Measured result of <see cref="AcceptStepBenchmark"/>.</summary>
public sealed record AcceptStepBenchmarkResult(
    double MedianSecondsPerStep, double MinSecondsPerStep, double TokensPerSecond, double SgemmGflops, double StepGflops,
    int Threads, int Steps, int Batch, int TargetTokens, PromptLayout Layout, T5Config Config);
