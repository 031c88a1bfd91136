using Accept.Grains.Sweeps;
using Accept.Training.Checkpointing.Store;
using Accept.Training.Sweeps;

namespace Accept.Tests.Grains.Sweeps;

[Trait("Category", "Fast")]
public sealed class SweepCheckpointsTests : IDisposable
{
    private readonly TinyRun _run = new();

    public void Dispose() => _run.Dispose();

    [Fact]
    public async Task A_reactivated_sweep_reads_back_its_state_directory_and_concurrency()
    {
        var spec = SweepSpecReader.Parse($$"""
            {
              "base": {{_run.Spec()}},
              "parameters": { "optimization.learning_rate": { "log_uniform": [0.001, 1.0] } },
              "search": { "kind": "random", "trials": 3, "seed": 11 }
            }
            """, "sweep spec");
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
