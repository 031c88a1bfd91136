using Accept.GrainInterfaces.Sweeps;
using Accept.Grains.Sweeps;
using Accept.Training.Checkpointing.Store;
using Accept.Training.Sweeps;

namespace Accept.Tests.Grains.Sweeps;

[Trait("Category", "Fast")]
public sealed class SweepCheckpointsTests : IDisposable
{
    private readonly TinyRun _run = new();

    public void Dispose() => _run.Dispose();

    private string SweepSpec(string extra = "") => $$"""
        {
          "base": {{_run.Spec()}},
          "parameters": { "optimization.learning_rate": { "log_uniform": [0.001, 1.0] } },
          "search": { "kind": "random", "trials": 3, "seed": 11 }{{extra}}
        }
        """;

    [Fact]
    public void A_submission_starts_a_new_state_or_resumes_its_own_and_runs_at_least_one_trial_at_once()
    {
        var (fresh, spec) = SweepRecord.Submitted("sweep1", new SweepSubmission(SweepSpec(), "/runs/sweep1", 0));
        var (capped, _) = SweepRecord.Submitted("sweep1", new SweepSubmission(SweepSpec(""", "max_concurrent_trials": 2"""), "/runs/sweep1", 8));
        var (resumed, _) = SweepRecord.Submitted("sweep1", new SweepSubmission(SweepSpec(), "/runs/sweep1", 4, SweepStateJson.ToJson(fresh.State)));

        Assert.Equal(("sweep1", 3, "/runs/sweep1", 1), (fresh.State.SweepId, fresh.State.Trials.Count, fresh.Directory, fresh.Concurrency));
        Assert.Equal(3, spec.Search.Trials);
        Assert.Equal(2, capped.Concurrency);
        Assert.Equal(SweepStateJson.ToJson(fresh.State), SweepStateJson.ToJson(resumed.State));
    }

    [Fact]
    public void A_bad_spec_or_another_sweeps_state_is_refused_with_a_plain_argument_error()
    {
        var other = SweepStateJson.ToJson(SweepRecord.Submitted("sweep2", new SweepSubmission(SweepSpec(), "/runs/sweep2", 1)).Record.State);

        var spec = Assert.Throws<ArgumentException>(() => SweepRecord.Submitted("sweep1", new SweepSubmission(SweepSpec(""", "serch": 1"""), "/d", 1)));
        var state = Assert.Throws<ArgumentException>(() => SweepRecord.Submitted("sweep1", new SweepSubmission(SweepSpec(), "/d", 1, other)));

        Assert.Contains("serch", spec.Message);
        Assert.Equal("state.json belongs to sweep 'sweep2', not 'sweep1'", state.Message);
    }

    [Fact]
    public async Task A_reactivated_sweep_reads_back_its_state_directory_and_concurrency()
    {
        var spec = SweepSpecReader.Parse(SweepSpec(), "sweep spec");
        var state = SweepEngine.Create("sweep1", spec);
        var store = new DirectoryCheckpointStore(_run.Checkpoints);
        Assert.Null(await new SweepCheckpoints(store, "sweep1").LoadAsync());

        await new SweepCheckpoints(store, "sweep1").SaveAsync(new SweepRecord(state, "/runs/sweep1", 3));
        var loaded = await new SweepCheckpoints(store, "sweep1").LoadAsync();

        Assert.Equal(("/runs/sweep1", 3), (loaded!.Directory, loaded.Concurrency));
        Assert.Equal(SweepStateJson.ToJson(state), SweepStateJson.ToJson(loaded.State));
        Assert.Equal(3, loaded.State.Trials.Count);
        var stored = await store.LoadLatestAsync(new CheckpointScope("sweep1", "sweep"));
        Assert.Equal(state.Phase.ToString(), stored!.Content.Metadata["phase"]);
    }
}
