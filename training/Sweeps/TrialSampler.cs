using System.Globalization;

namespace Accept.Training.Sweeps;

/// <summary>
/// Draws trials' parameter values (path → raw JSON value). Grid search: the cartesian product of the grid and
/// choice values, the first parameter varying slowest. Random search: range parameters and choices drawn from
/// the RNG, grid parameters cycled in product order (trial i takes combination i mod the grid's size).
/// </summary>
public static class TrialSampler
{
    public static int TrialCount(SearchSpec search, IReadOnlyList<ParameterSpec> parameters) =>
        search.Kind == SearchKind.Grid ? parameters.Aggregate(1, (n, p) => n * p.Values.Count) : search.Trials;

    /// <summary>Trial <paramref name="index"/>'s values; random draws come from <paramref name="random"/>, which advances.</summary>
    public static Dictionary<string, string> Sample(SweepSpec spec, int index, SweepRandom random)
    {
        var grid = spec.Search.Kind == SearchKind.Grid
            ? spec.Parameters
            : spec.Parameters.Where(p => p.Distribution == Distribution.Grid).ToList();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var combination = Combination(grid, index);
        foreach (var p in spec.Parameters)
        {
            values[p.Path] = combination.TryGetValue(p.Path, out var fixedValue) ? fixedValue : Draw(p, random);
        }
        return values;
    }

    /// <summary>The <paramref name="index"/>-th combination (mod the product's size) of the parameters' values, last parameter fastest.</summary>
    private static Dictionary<string, string> Combination(IReadOnlyList<ParameterSpec> grid, int index)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var size = grid.Aggregate(1, (n, p) => n * p.Values.Count);
        var rest = index % size;
        for (var i = grid.Count - 1; i >= 0; i--)
        {
            var p = grid[i];
            result[p.Path] = p.Values[rest % p.Values.Count];
            rest /= p.Values.Count;
        }
        return result;
    }

    private static string Draw(ParameterSpec p, SweepRandom random) => p.Distribution switch
    {
        Distribution.Uniform => Number(p.Low + (p.High - p.Low) * random.NextDouble()),
        Distribution.LogUniform => Number(Math.Exp(Math.Log(p.Low) + (Math.Log(p.High) - Math.Log(p.Low)) * random.NextDouble())),
        Distribution.IntUniform => ((long)p.Low + random.Next((int)(p.High - p.Low) + 1)).ToString(CultureInfo.InvariantCulture),
        _ => p.Values[random.Next(p.Values.Count)],
    };

    /// <summary>A double as JSON text that reads back to the same double.</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
