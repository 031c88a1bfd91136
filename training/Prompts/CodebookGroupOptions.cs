using Accept.Training.Optim;

namespace Accept.Training.Prompts;

/// <summary>
/// How a codebook group learns: the SCPP codebook follows <paramref name="PromptSchedule"/>, the SCAP
/// codebook <paramref name="AddedSchedule"/>; the mean gradient is clipped to <paramref name="GradClip"/>
/// (≤ 0: no clipping). <paramref name="Frozen"/> keeps the codebooks fixed (transfer to a new task).
/// </summary>
public sealed record CodebookGroupOptions(
    LinearSchedule PromptSchedule,
    LinearSchedule AddedSchedule,
    double GradClip = 1.0,
    AdamWOptions? Adam = null,
    bool Frozen = false);
