using System.Globalization;
using Accept.Training.Sweeps;

namespace Accept.Tests.Sweeps;

[Trait("Category", "Fast")]
public sealed class TrialSamplerTests
{
    [Fact]
    public void Grid_search_is_the_cartesian_product_in_order_first_parameter_slowest()
    {
        var spec = SweepSpecs.Parse("""
            "parameters": { "method.prompt_length": { "grid": [10, 20] }, "method.scpp.codebook_size": { "choice": [5, 10, 20] } },
            "search": { "kind": "grid" }
            """);
        var state = SweepEngine.Create("s", spec);

        Assert.Equal(6, state.Trials.Count);
        Assert.Equal(
            ["10/5", "10/10", "10/20", "20/5", "20/10", "20/20"],
            state.Trials.Select(t => $"{t.Params["method.prompt_length"]}/{t.Params["method.scpp.codebook_size"]}"));
    }

    [Fact]
    public void Random_search_with_a_seed_is_reproducible_and_another_seed_differs()
    {
        static List<string> Draw(int seed) => SweepEngine.Create("s", SweepSpecs.Parse($$"""
            "parameters": { "optimization.learning_rate": { "log_uniform": [0.01, 1.0] }, "method.added.rank": { "int_uniform": [2, 16] } },
            "search": { "kind": "random", "trials": 8, "seed": {{seed}} }
            """)).Trials.Select(t => string.Join(",", t.Params.Values)).ToList();

        Assert.Equal(Draw(7), Draw(7));
        Assert.NotEqual(Draw(7), Draw(8));
    }

    [Fact]
    public void Ranges_are_respected_and_int_uniform_reaches_both_ends()
    {
        var spec = SweepSpecs.Parse("""
            "parameters": {
              "optimization.learning_rate": { "log_uniform": [0.01, 1.0] },
              "optimization.added_learning_rate": { "uniform": [0.5, 0.75] },
              "method.added.rank": { "int_uniform": [2, 5] },
              "method.prompt_length": { "choice": [4, 8] },
              "method.scpp.codebook_size": { "grid": [3, 6, 9] }
            },
            "search": { "kind": "random", "trials": 600, "seed": 1 }
            """);
        var trials = SweepEngine.Create("s", spec).Trials;
        double Value(TrialRecord t, string path) => double.Parse(t.Params[path], CultureInfo.InvariantCulture);

        Assert.All(trials, t => Assert.InRange(Value(t, "optimization.learning_rate"), 0.01, 1.0));
        Assert.All(trials, t => Assert.InRange(Value(t, "optimization.added_learning_rate"), 0.5, 0.75));
        Assert.Equal([2, 3, 4, 5], trials.Select(t => (int)Value(t, "method.added.rank")).Distinct().Order());
        Assert.Equal([4, 8], trials.Select(t => (int)Value(t, "method.prompt_length")).Distinct().Order());
        // Grid values cycle in order: trial i takes value i mod 3.
        Assert.Equal(trials.Select((_, i) => new[] { 3, 6, 9 }[i % 3]), trials.Select(t => (int)Value(t, "method.scpp.codebook_size")));
        // log-uniform: about as many draws below 0.1 (the geometric middle) as above.
        var below = trials.Count(t => Value(t, "optimization.learning_rate") < 0.1);
        Assert.InRange(below, 240, 360);
    }

    [Fact]
    public void A_generator_restored_from_its_saved_state_continues_the_same_sequence()
    {
        var uninterrupted = new SweepRandom(42);
        var first = Enumerable.Range(0, 5).Select(_ => uninterrupted.NextDouble()).ToList();
        var saved = uninterrupted.State;
        var rest = Enumerable.Range(0, 5).Select(_ => uninterrupted.NextDouble()).ToList();

        var restored = SweepRandom.FromState(saved);
        Assert.Equal(rest, Enumerable.Range(0, 5).Select(_ => restored.NextDouble()));
        Assert.NotEqual(first, rest);
    }

    [Fact]
    public void A_value_the_run_spec_rejects_makes_that_trial_invalid_with_the_reason()
    {
        var state = SweepEngine.Create("s", SweepSpecs.Parse("""
            "parameters": { "method.prompt_length": { "grid": [0, 4] }, "tasks.1.max_length": { "grid": [8] } },
            "search": { "kind": "grid" }
            """));

        Assert.Equal(TrialState.Invalid, state.Trials[0].State);
        Assert.Equal("run spec: method.prompt_length: expected a positive integer, got 0", state.Trials[0].Reason);
        Assert.Equal(TrialState.Pending, state.Trials[1].State);
        var (json, error) = SweepEngine.TrialSpec(SweepEngine.SpecOf(state), state.Trials[1].Params);
        Assert.Null(error);
        var run = SweepSpecs.RunSpecOf(json);
        Assert.Equal(4, (int)run["method"]!["prompt_length"]!);
        Assert.Equal(8, (int)run["tasks"]![1]!["max_length"]!);
        Assert.Equal(100, (int)run["optimization"]!["steps"]!);
    }
}
