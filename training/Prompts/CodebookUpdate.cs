namespace Accept.Training.Prompts;

/// <summary>The result of <see cref="CodebookGroup.Apply"/>: whether the step was taken (false: non-finite gradient), the version after it, and the gradient's norm before clipping.</summary>
public sealed record CodebookUpdate(bool Applied, long Version, double GradNorm);
