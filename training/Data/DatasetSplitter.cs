namespace Accept.Training.Data;

/// <summary>Deterministic splits: the same seed gives the same partition on every machine.</summary>
internal static class DatasetSplitter
{
    /// <summary>Examples moved from train to validation under <see cref="SplitRule.HoldOutFromTrain"/>.</summary>
    public const int HeldOutValidationSize = 1000;

    /// <summary>Below this many training examples a data set counts as small (DePT's 10K threshold).</summary>
    public const int SmallDataSetThreshold = 10_000;

    public static SplitRule ChooseRule(int trainCount) =>
        trainCount < SmallDataSetThreshold ? SplitRule.HalveValidation : SplitRule.HoldOutFromTrain;

    /// <summary>A Fisher–Yates permutation of 0..count-1. System.Random with a seed uses a fixed algorithm,
    /// so the permutation does not change across runtimes or machines.</summary>
    public static int[] Permutation(int count, int seed)
    {
        var indices = Enumerable.Range(0, count).ToArray();
        var random = new Random(seed);
        for (var i = count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (indices[i], indices[j]) = (indices[j], indices[i]);
        }
        return indices;
    }

    public static (List<T> Train, List<T> Validation, List<T> Test) Apply<T>(
        SplitRule rule, IReadOnlyList<T> train, IReadOnlyList<T> validation, IReadOnlyList<T>? test, int seed)
    {
        switch (rule)
        {
            case SplitRule.AsGiven:
                if (test is null)
                    throw new InvalidOperationException("split rule AsGiven needs a test set");
                return ([.. train], [.. validation], [.. test]);
            case SplitRule.HalveValidation:
            {
                var order = Permutation(validation.Count, seed);
                var half = validation.Count / 2;
                return ([.. train], Pick(validation, order[..half]), Pick(validation, order[half..]));
            }
            case SplitRule.HoldOutFromTrain:
            {
                if (train.Count <= HeldOutValidationSize)
                    throw new InvalidOperationException(
                        $"split rule HoldOutFromTrain needs more than {HeldOutValidationSize} training examples, found {train.Count}");
                var order = Permutation(train.Count, seed);
                return (Pick(train, order[HeldOutValidationSize..]), Pick(train, order[..HeldOutValidationSize]), [.. validation]);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(rule), rule, "unknown split rule");
        }
    }

    /// <summary>One pool cut by fractions; the test share is what train and validation leave.</summary>
    public static (List<T> Train, List<T> Validation, List<T> Test) ByFractions<T>(
        IReadOnlyList<T> all, double trainFraction, double validationFraction, int seed)
    {
        if (trainFraction <= 0 || validationFraction < 0 || trainFraction + validationFraction > 1)
            throw new ArgumentException(
                $"split fractions must satisfy 0 < train, 0 <= validation, train + validation <= 1; got train {trainFraction}, validation {validationFraction}");
        var order = Permutation(all.Count, seed);
        var trainCount = (int)Math.Round(all.Count * trainFraction);
        var validationCount = Math.Min(all.Count - trainCount, (int)Math.Round(all.Count * validationFraction));
        return (Pick(all, order[..trainCount]),
                Pick(all, order[trainCount..(trainCount + validationCount)]),
                Pick(all, order[(trainCount + validationCount)..]));
    }

    /// <summary>At most <paramref name="max"/> items, a seeded sample that keeps the original order.</summary>
    public static List<T> Cap<T>(IReadOnlyList<T> items, int? max, int seed)
    {
        if (max is not int m || items.Count <= m) return [.. items];
        if (m < 0) throw new ArgumentOutOfRangeException(nameof(max), max, "a size cap must not be negative");
        var chosen = Permutation(items.Count, seed)[..m];
        Array.Sort(chosen);
        return Pick(items, chosen);
    }

    private static List<T> Pick<T>(IReadOnlyList<T> items, int[] indices)
    {
        var result = new List<T>(indices.Length);
        foreach (var i in indices) result.Add(items[i]);
        return result;
    }
}
