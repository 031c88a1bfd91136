namespace Accept.Training.Data.Demo;

/// <summary>Cuts each class by the same fractions, so every split holds every class, then shuffles each
/// split so classes are interleaved.</summary>
internal static class StratifiedSplit
{
    public static (List<T> Train, List<T> Validation, List<T> Test) Apply<T>(
        IReadOnlyList<T> items, Func<T, string> classOf, double trainFraction, double validationFraction, int seed)
    {
        List<T> train = [], validation = [], test = [];
        foreach (var group in items.GroupBy(classOf).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var (tr, va, te) = DatasetSplitter.ByFractions([.. group], trainFraction, validationFraction, seed);
            train.AddRange(tr);
            validation.AddRange(va);
            test.AddRange(te);
        }
        return (Shuffle(train, seed + 11), Shuffle(validation, seed + 12), Shuffle(test, seed + 13));
    }

    private static List<T> Shuffle<T>(List<T> items, int seed) =>
        [.. DatasetSplitter.Permutation(items.Count, seed).Select(i => items[i])];
}
