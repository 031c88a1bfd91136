namespace Accept.Training.Prompts;

/// <summary>
/// The validated shapes of one ACCEPT configuration on a backbone of width <see cref="DModel"/>:
/// m = <see cref="PromptLength"/>, l = <see cref="MaxLength"/> (spec <c>method.max_length</c>: the padded input
/// length, every input is padded to exactly l, not a maximum), SCPP <see cref="Scpp"/> (K, r, t), added side
/// <see cref="Scap"/> (K′, r′, t′) or DePT rank R.
/// Build with named properties and <see cref="Validated"/>, which names the offending spec key when a value is invalid:
/// <c>new PromptLayout { DModel = 768, PromptLength = 60, MaxLength = 256, ScppSubDim = 32, ScppCodebookSize = 20, Added = AddedKind.Dept, AddedRank = 30, AddedAlpha = 8 }.Validated()</c>.
/// Keys of a side that is not used (SCPP under <see cref="FreePrompt"/>, SCAP's under DePT, DePT's under SCAP) may stay 0.
/// </summary>
public sealed record PromptLayout
{
    /// <summary>d, the backbone's width.</summary>
    public required int DModel { get; init; }

    /// <summary>m, prompt rows prepended to every input.</summary>
    public required int PromptLength { get; init; }

    /// <summary>l, the padded input length (spec <c>method.max_length</c>).</summary>
    public required int MaxLength { get; init; }

    /// <summary>The plain prompt-tuning baseline: P is a free m×d matrix, no SCPP codebook.</summary>
    public bool FreePrompt { get; init; }

    /// <summary>SCPP t (spec <c>method.scpp.sub_dim</c>).</summary>
    public int ScppSubDim { get; init; }

    /// <summary>SCPP r (spec <c>method.scpp.codebook_size</c>).</summary>
    public int ScppCodebookSize { get; init; }

    /// <summary>The added side: none, SCAP (K′, r′, t′) or DePT (rank R, scale α).</summary>
    public AddedKind Added { get; init; }

    /// <summary>SCAP t′ (spec <c>method.added.sub_dim</c>).</summary>
    public int AddedSubDim { get; init; }

    /// <summary>SCAP r′ (spec <c>method.added.codebook_size</c>).</summary>
    public int AddedCodebookSize { get; init; }

    /// <summary>DePT rank R.</summary>
    public int AddedRank { get; init; }

    /// <summary>DePT scale α.</summary>
    public double AddedAlpha { get; init; }

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

    /// <summary>This layout, once every key its sides use is in range (throws <see cref="ArgumentException"/> naming the spec key).</summary>
    public PromptLayout Validated()
    {
        Positive("d_model", DModel);
        Positive("method.prompt_length", PromptLength);
        Positive("method.max_length", MaxLength);
        if (!FreePrompt)
        {
            Positive("method.scpp.sub_dim", ScppSubDim);
            Positive("method.scpp.codebook_size", ScppCodebookSize);
            Divides("method.scpp.sub_dim", ScppSubDim, DModel);
        }
        switch (Added)
        {
            case AddedKind.Scap:
                Positive("method.added.sub_dim", AddedSubDim);
                Positive("method.added.codebook_size", AddedCodebookSize);
                Divides("method.added.sub_dim", AddedSubDim, DModel);
                break;
            case AddedKind.Dept:
                Positive("method.added.rank", AddedRank);
                if (!(AddedAlpha > 0) || !double.IsFinite(AddedAlpha))
                    throw new ArgumentException($"method.added.alpha: expected a positive number, got {AddedAlpha}");
                break;
        }
        return this;
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
