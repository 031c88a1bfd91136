namespace Accept.Training.MultiTask;

/// <summary>One task after one step: loss and learning rate of the step, its evaluation so far, its speed in this process and its group's codebook version after the step's round.</summary>
public sealed record TaskProgress(
    string Task,
    long Step,
    long TotalSteps,
    double Loss,
    double LearningRate,
    bool Skipped,
    double? LastMetric,
    double? BestMetric,
    string MetricName,
    double StepsPerSecond,
    long CodebookVersion);
