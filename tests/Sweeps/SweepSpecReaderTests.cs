using Accept.Training.Config;
using Accept.Training.Sweeps;

namespace Accept.Tests.Sweeps;

[Trait("Category", "Fast")]
public sealed class SweepSpecReaderTests
{
    [Fact]
    public void Reads_the_issue_example_with_comments_trailing_commas_and_a_base_file_relative_to_the_sweep_file()
    {
        var dir = Directory.CreateTempSubdirectory("accept-sweep-spec-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "base.json"), "// base\n" + SweepSpecs.Base);
            var path = Path.Combine(dir, "sweep.json");
            File.WriteAllText(path, """
                {
                  "base": "base.json",   // relative to this file
                  "parameters": {
                    "optimization.learning_rate": { "log_uniform": [0.03, 1.0] },
                    "method.scpp.codebook_size": { "choice": [5, 10, 20] },
                    "method.prompt_length": { "grid": [10, 20] },
                    "method.added.rank": { "int_uniform": [2, 16] },
                  },
                  "search": { "kind": "random", "trials": 12, "seed": 7 },
                  "objective": { "metric": "loss", "mode": "min" },
                  "scheduler": { "kind": "asha", "grace_steps": 20, "reduction_factor": 3, "max_steps": 180 },
                  "max_concurrent_trials": 4,
                }
                """);
            var spec = SweepSpecReader.Read(path);

            Assert.Equal(4, spec.Parameters.Count);
            Assert.Equal(Distribution.LogUniform, spec.Parameters[0].Distribution);
            Assert.Equal(["5", "10", "20"], spec.Parameters[1].Values);
            Assert.Equal(new SearchSpec(SearchKind.Random, 12, 7), spec.Search);
            Assert.Equal(ObjectiveMode.Min, spec.Objective.Mode);
            Assert.Equal((SchedulerKind.Asha, 20, 3, 180), (spec.Scheduler.Kind, spec.Scheduler.GraceSteps, spec.Scheduler.ReductionFactor, spec.Scheduler.MaxSteps));
            Assert.Equal(4, spec.MaxConcurrentTrials);
            // The resolved spec reads back to the same sweep.
            var again = SweepSpecReader.Parse(SweepSpecWriter.ToJson(spec), "sweep.json");
            Assert.Equal(SweepSpecWriter.ToJson(spec), SweepSpecWriter.ToJson(again));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("\"parameters\": { \"optimization.learning_rate\": { \"normal\": [0, 1] } }, \"search\": { \"kind\": \"grid\" }",
        "sweep.json: parameters.optimization.learning_rate: expected one of log_uniform, uniform, int_uniform, choice, grid, got \"normal\"")]
    [InlineData("\"parameters\": { \"optimization.learning_rate\": { \"log_uniform\": [0, 1] } }, \"search\": { \"kind\": \"random\", \"trials\": 2 }",
        "sweep.json: parameters.optimization.learning_rate.log_uniform: log_uniform needs a positive low bound, got 0")]
    [InlineData("\"parameters\": { \"optimization.learning_rate\": { \"uniform\": [0.1, 1] } }, \"search\": { \"kind\": \"grid\" }",
        "sweep.json: parameters.optimization.learning_rate: grid search takes grid and choice values, not uniform")]
    [InlineData("\"parameters\": { \"method.prompt_length\": { \"grid\": [4] } }, \"search\": { \"kind\": \"random\" }",
        "sweep.json: search.trials: required for random search")]
    [InlineData("\"parameters\": { \"method.prompt_length\": { \"grid\": [4] } }, \"search\": { \"kind\": \"grid\" }, \"objective\": { \"metric\": \"task:c\" }",
        "sweep.json: objective.metric: the base run spec has no task \"c\" (it has a, b)")]
    [InlineData("\"parameters\": { \"method.prompt_length\": { \"grid\": [4] } }, \"search\": { \"kind\": \"grid\" }, \"scheduler\": { \"kind\": \"asha\", \"grace_steps\": 200 }",
        "sweep.json: scheduler.grace_steps: 200 must be below max_steps 100")]
    [InlineData("\"parameters\": { \"method.prompt_length\": { \"grid\": [4] } }, \"search\": { \"kind\": \"grid\" }, \"objective\": { \"metric\": \"metric\" }, \"scheduler\": { \"kind\": \"asha\", \"grace_steps\": 5 }",
        "sweep.json: scheduler: a metric objective is measured every 10 steps (the base's optimization.eval_every), but a decision falls at step 5; make grace_steps/interval_steps multiples of it")]
    [InlineData("\"parameters\": { \"method.prompt_length\": { \"grid\": [4] } }, \"search\": { \"kind\": \"grid\" }, \"schedular\": {}",
        "sweep.json: schedular: unknown key (expected one of base, parameters, search, objective, scheduler, max_concurrent_trials)")]
    public void Bad_specs_name_the_file_and_the_json_path(string members, string expected)
    {
        var e = Assert.Throws<SpecException>(() => SweepSpecs.Parse(members));
        Assert.Equal(expected, e.Message);
    }

    [Fact]
    public void Pbt_needs_a_checkpoint_at_least_every_interval()
    {
        var e = Assert.Throws<SpecException>(() => SweepSpecs.Parse("""
            "parameters": { "optimization.learning_rate": { "log_uniform": [0.01, 1.0] } },
            "search": { "kind": "random", "trials": 4, "seed": 3 },
            "scheduler": { "kind": "pbt", "interval_steps": 5, "quantile": 0.25, "max_steps": 30,
                           "mutations": { "optimization.learning_rate": { "factors": [0.8, 1.25] } } }
            """));
        Assert.Equal("sweep.json: base.checkpoint_every: 10 must be between 1 and interval_steps (5): a PBT exploit starts from the donor's latest checkpoint", e.Message);
    }

    [Fact]
    public void A_bad_base_run_spec_names_base_and_the_run_spec_key()
    {
        var e = Assert.Throws<SpecException>(() => SweepSpecReader.Parse(
            """{ "base": { "tasks": [] }, "parameters": { "method.prompt_length": { "grid": [4] } }, "search": { "kind": "grid" } }""", "s.json"));
        Assert.Equal("s.json: base: tasks: expected a non-empty array of tasks", e.Message);
    }

    [Theory]
    [InlineData("\"parameters\": { \"method.prompt_length\": { \"grid\": [4] } }, \"search\": { \"kind\": \"grid\" }, \"scheduler\": { \"kind\": \"pbt\", \"grace_steps\": 5 }",
        "sweep.json: scheduler.grace_steps: only the asha scheduler takes this key (pbt takes kind, max_steps, interval_steps, quantile, mutations)")]
    [InlineData("\"parameters\": { \"method.prompt_length\": { \"grid\": [4] } }, \"search\": { \"kind\": \"grid\" }, \"scheduler\": { \"kind\": \"fifo\", \"quantile\": 0.1 }",
        "sweep.json: scheduler.quantile: only the pbt scheduler takes this key (fifo takes kind, max_steps)")]
    [InlineData("\"parameters\": { \"method.prompt_length\": { \"grid\": [4] } }, \"search\": { \"kind\": \"random\", \"trials\": \"x\" }",
        "sweep.json: search.trials: expected an integer, got \"x\"")]
    [InlineData("\"parameters\": { \"method.prompt_length\": { \"grid\": [4] }, \"method.prompt_length\": { \"grid\": [5] } }, \"search\": { \"kind\": \"grid\" }",
        "sweep.json: parameters.method.prompt_length: duplicate key (each key may appear once)")]
    [InlineData("\"parameters\": { \"method.prompt_length\": { \"grid\": [4] } }, \"search\": { \"kind\": \"grid\", \"seeds\": 1 }",
        "sweep.json: search.seeds: unknown key (expected one of kind, trials, seed)")]
    [InlineData("\"parameters\": { \"optimization.learning_rate\": { \"log_uniform\": [0.01, 1.0] } }, \"search\": { \"kind\": \"random\", \"trials\": 4 }, \"scheduler\": { \"kind\": \"pbt\", \"interval_steps\": 10, \"mutations\": { \"optimization.learning_rate\": { \"factors\": [0.8, -1] } } }",
        "sweep.json: scheduler.mutations.optimization.learning_rate.factors[1]: expected a positive number, got -1")]
    [InlineData("\"parameters\": { \"method.prompt_length\": { \"grid\": [4] } }, \"search\": { \"kind\": \"grid\" }, \"scheduler\": { \"kind\": \"asha\", \"reduction_factor\": 1 }",
        "sweep.json: scheduler.reduction_factor: expected an integer of at least 2, got 1")]
    public void Keys_of_the_wrong_kind_type_or_count_are_named_with_their_path(string members, string expected)
    {
        Assert.Equal(expected, Assert.Throws<SpecException>(() => SweepSpecs.Parse(members)).Message);
    }
}
