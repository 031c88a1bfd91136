namespace Accept.Training.Sweeps;

/// <summary>
/// Asynchronous successive halving (Li et al. 2020): rungs at <c>grace·η^k</c> below <c>max_steps</c>; a
/// trial's result at a rung continues only when it ranks within the top <c>max(1, ⌊n/η⌋)</c> of the n results
/// recorded at that rung so far, its own included (ties: the earlier result ranks higher).
/// </summary>
public static class AshaRungs
{
    /// <summary>The rung steps, ascending: grace, grace·η, grace·η², … while below <paramref name="maxSteps"/>.</summary>
    public static IReadOnlyList<long> Steps(int grace, int eta, int maxSteps)
    {
        var rungs = new List<long>();
        for (long r = grace; r < maxSteps; r *= eta) rungs.Add(r);
        return rungs;
    }

    /// <summary>How many of <paramref name="recorded"/> results continue: max(1, ⌊n/η⌋).</summary>
    public static int Promoted(int recorded, int eta) => Math.Max(1, recorded / eta);

    /// <summary>
    /// Whether the result <paramref name="value"/> continues, given the results recorded before it at the rung
    /// (<paramref name="earlier"/>, not including it).
    /// </summary>
    public static bool Continues(double value, IReadOnlyList<double> earlier, int eta, ObjectiveSpec objective)
    {
        // Rank 1 = best; an earlier equal result ranks above this one.
        var rank = 1 + earlier.Count(e => !objective.IsBetter(value, e));
        return rank <= Promoted(earlier.Count + 1, eta);
    }
}
