namespace Accept.Training.Prompts;

/// <summary>
/// The validated shapes of one ACCEPT configuration on a backbone of width <see cref="DModel"/>:
/// m = <see cref="PromptLength"/>, l = <see cref="MaxLength"/> (spec <c>method.max_length</c>: the padded input
/// length, every input is padded to exactly l, not a maximum), SCPP <see cref="Scpp"/> (K, r, t), added side
/// <see cref="Scap"/> (K′, r′, t′) or DePT rank R.
/// Build with <see cref="Create"/>, which names the offending spec key when a value is invalid.
/// </summary>
public sealed record PromptLayout(
    int DModel,
    int PromptLength,
    int MaxLength,
    bool FreePrompt,
    int ScppSubDim,
    int ScppCodebookSize,
    AddedKind Added,
    int AddedSubDim,
    int AddedCodebookSize,
    int AddedRank,
    double AddedAlpha)
{
    /// <summary>K = d / t.</summary>
    public int ScppSubspaces => DModel / ScppSubDim;

    /// <summary>K′ = d / t′.</summary>
    public int AddedSubspaces => DModel / AddedSubDim;

    /// <summary>SCPP's (K, r, t); meaningful when <see cref="HasScppCodebook"/>.</summary>
    public SubspaceShape Scpp => SubspaceShape.Of(DModel, ScppCodebookSize, ScppSubDim);

    /// <summary>SCAP's (K′, r′, t′); meaningful when <see cref="HasScapCodebook"/>.</summary>
    public SubspaceShape Scap => SubspaceShape.Of(DModel, AddedCodebookSize, AddedSubDim);

    /// <summary>Whether tasks draw P from a shared SCPP codebook (false for the plain prompt-tuning baseline).</summary>
    public bool HasScppCodebook => !FreePrompt;

    public bool HasScapCodebook => Added == AddedKind.Scap;

    public static PromptLayout Create(
        int dModel, int promptLength, int maxLength, bool freePrompt,
        int scppSubDim, int scppCodebookSize,
        AddedKind added, int addedSubDim, int addedCodebookSize, int addedRank, double addedAlpha)
    {
        Positive("d_model", dModel);
        Positive("method.prompt_length", promptLength);
        Positive("method.max_length", maxLength);
        if (!freePrompt)
        {
            Positive("method.scpp.sub_dim", scppSubDim);
            Positive("method.scpp.codebook_size", scppCodebookSize);
            Divides("method.scpp.sub_dim", scppSubDim, dModel);
        }
        switch (added)
        {
            case AddedKind.Scap:
                Positive("method.added.sub_dim", addedSubDim);
                Positive("method.added.codebook_size", addedCodebookSize);
                Divides("method.added.sub_dim", addedSubDim, dModel);
                break;
            case AddedKind.Dept:
                Positive("method.added.rank", addedRank);
                if (!(addedAlpha > 0) || !double.IsFinite(addedAlpha))
                    throw new ArgumentException($"method.added.alpha: expected a positive number, got {addedAlpha}");
                break;
        }
        return new PromptLayout(dModel, promptLength, maxLength, freePrompt, scppSubDim, scppCodebookSize,
            added, addedSubDim, addedCodebookSize, addedRank, addedAlpha);
    }

    public ParameterBudget Budget() => ParameterBudget.Of(this);

    private static void Positive(string key, long value)
    {
        if (value <= 0) throw new ArgumentException($"{key}: expected a positive integer, got {value}");
    }

    private static void Divides(string key, int subDim, int dModel)
    {
        if (dModel % subDim != 0) throw new ArgumentException($"{key} {subDim} does not divide d_model {dModel}");
    }
}
