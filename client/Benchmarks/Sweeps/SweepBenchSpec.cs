using Accept.Training.Config;
using Accept.Training.Sweeps;

namespace Accept.Client.Benchmarks.Sweeps;

/// <summary>
/// The sweep `accept bench sweep` runs: the given sweep spec trimmed by its flags, and the FIFO variant the
/// memory probe runs (K trials at once, long enough to be measured while all of them train).
/// </summary>
internal static class SweepBenchSpec
{
    /// <summary>
    /// <paramref name="trials"/> sets a random search's trial count; <paramref name="steps"/> sets max_steps and scales
    /// ASHA's grace steps and PBT's interval by the same factor; <paramref name="concurrency"/> sets max_concurrent_trials.
    /// The result is written and read back, so a trim the reader refuses is a spec error naming the flag.
    /// </summary>
    public static SweepSpec Trim(SweepSpec spec, int? trials, int? steps, int? concurrency)
    {
        if (trials is { } n)
        {
            if (spec.Search.Kind != SearchKind.Random)
                throw new SpecException($"--trials {n}: the spec's search is grid (its trials are the product of the grid values); --trials trims a random search only");
            spec = spec with { Search = spec.Search with { Trials = n } };
        }
        if (steps is { } s)
        {
            var scheduler = spec.Scheduler;
            var factor = (double)s / scheduler.MaxSteps;
            int Scaled(int value) => value == 0 ? 0 : Math.Max(1, (int)Math.Round(value * factor));
            spec = spec with { Scheduler = scheduler with { MaxSteps = s, GraceSteps = Scaled(scheduler.GraceSteps), IntervalSteps = Scaled(scheduler.IntervalSteps) } };
        }
        if (concurrency is { } c) spec = spec with { MaxConcurrentTrials = c };
        try
        {
            return SweepSpecReader.Parse(SweepSpecWriter.ToJson(spec), "the trimmed sweep spec");
        }
        catch (SpecException e)
        {
            throw new SpecException($"--trials/--steps/--concurrency leave a sweep spec the reader refuses: {e.Message}");
        }
    }

    /// <summary><paramref name="trials"/> trials of the same parameters, all at once, FIFO for <paramref name="maxSteps"/> steps.</summary>
    public static SweepSpec Memory(SweepSpec spec, int trials, int maxSteps) => spec with
    {
        Search = new SearchSpec(SearchKind.Random, trials, spec.Search.Seed),
        Scheduler = new SchedulerSpec(SchedulerKind.Fifo, 0, 0, maxSteps, 0, 0, new Dictionary<string, IReadOnlyList<double>>(), false),
        MaxConcurrentTrials = trials,
    };
}
