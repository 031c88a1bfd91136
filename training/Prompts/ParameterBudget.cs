namespace Accept.Training.Prompts;

/// <summary>One line of the trainable-parameter breakdown.</summary>
public sealed record ParameterPart(string Name, string Side, string Shape, long Count);

/// <summary>
/// Trainable parameters of one task by part, and the paper code's budget rule
/// (prepended side ≤ 60·d, added side ≤ 40·d): reported and warned about, never enforced.
/// </summary>
public sealed record ParameterBudget(IReadOnlyList<ParameterPart> Parts, long PrependedLimit, long AddedLimit)
{
    public const string PrependedSide = "prepended";
    public const string AddedSide = "added";

    public long Prepended => Parts.Where(p => p.Side == PrependedSide).Sum(p => p.Count);
    public long AddedTotal => Parts.Where(p => p.Side == AddedSide).Sum(p => p.Count);
    public long Total => Parts.Sum(p => p.Count);

    public IEnumerable<string> Warnings()
    {
        if (Prepended > PrependedLimit)
            yield return $"prepended side has {Prepended:N0} parameters, over the paper's budget of 60·d = {PrependedLimit:N0}";
        if (AddedTotal > AddedLimit)
            yield return $"added side has {AddedTotal:N0} parameters, over the paper's budget of 40·d = {AddedLimit:N0}";
    }

    /// <summary>The parts of layout <paramref name="l"/>; counts too large for 64 bits are a <see cref="Config.SpecException"/> (checked arithmetic).</summary>
    public static ParameterBudget Of(PromptLayout l)
    {
        try
        {
            var budget = OfUnchecked(l);
            _ = budget.Total;
            return budget;
        }
        catch (OverflowException)
        {
            throw new Config.SpecException($"method: the trainable parameter count overflows a 64-bit integer (prompt_length {l.PromptLength}, max_length {l.MaxLength}, "
                + $"scpp.codebook_size {l.ScppCodebookSize}, added.codebook_size {l.AddedCodebookSize}, added.rank {l.AddedRank}); lower them");
        }
    }

    private static ParameterBudget OfUnchecked(PromptLayout l)
    {
        var parts = new List<ParameterPart>();
        long d = l.DModel, m = l.PromptLength, len = l.MaxLength;
        if (l.FreePrompt)
        {
            parts.Add(new("prompt", PrependedSide, $"{m}×{d}", checked(m * d)));
        }
        else
        {
            long k = l.Scpp.K, r = l.Scpp.R, t = l.Scpp.T;
            parts.Add(new("SCPP weights", PrependedSide, $"{m}×{k}×{r}", checked(m * k * r)));
            parts.Add(new("SCPP codebook", PrependedSide, $"{k}×{r}×{t}", checked(k * r * t)));
        }
        switch (l.Added)
        {
            case AddedKind.Scap:
                long k2 = l.Scap.K, r2 = l.Scap.R, t2 = l.Scap.T;
                parts.Add(new("SCAP weights", AddedSide, $"{len}×{k2}×{r2}", checked(len * k2 * r2)));
                parts.Add(new("SCAP codebook", AddedSide, $"{k2}×{r2}×{t2}", checked(k2 * r2 * t2)));
                break;
            case AddedKind.Dept:
                long rank = l.AddedRank;
                parts.Add(new("DePT A", AddedSide, $"{len}×{rank}", checked(len * rank)));
                parts.Add(new("DePT B", AddedSide, $"{rank}×{d}", checked(rank * d)));
                break;
        }
        return new ParameterBudget(parts, 60 * d, 40 * d);
    }
}
