using Accept.Training.Prompts;

namespace Accept.Training.Config;

/// <summary>The prompt method: m = prompt_length, l = max_length; defaults are the paper's T5-base configuration.</summary>
/// <param name="MaxLength">l, the padded input length: every input is padded (and truncated) to exactly l, and
/// SCAP/DePT's ΔE has l rows. Not a maximum; a task's own <c>max_length</c> only truncates earlier.</param>
public sealed record MethodSpec(int PromptLength, ScppSpec Scpp, AddedSpec Added, int MaxLength, bool PromptTuningBaseline)
{
    public static MethodSpec Default { get; } = new(60, new ScppSpec(), new AddedSpec(), 256, false);

    /// <summary>The validated shapes on a backbone of width <paramref name="dModel"/> (throws naming the key).</summary>
    public PromptLayout ToLayout(int dModel)
    {
        try
        {
            return new PromptLayout
            {
                DModel = dModel, PromptLength = PromptLength, MaxLength = MaxLength, FreePrompt = PromptTuningBaseline,
                ScppSubDim = Scpp.SubDim, ScppCodebookSize = Scpp.CodebookSize,
                Added = Added.Kind, AddedSubDim = Added.SubDim, AddedCodebookSize = Added.CodebookSize, AddedRank = Added.Rank, AddedAlpha = Added.Alpha,
            }.Validated();
        }
        catch (ArgumentException e)
        {
            throw new SpecException(e.Message);
        }
    }
}
