using Accept.GrainInterfaces.Codebooks;
using Accept.Grains.Aggregation;
using Accept.Grains.Codebooks;
using Accept.Training.Config;
using Accept.Training.Checkpointing.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace Accept.Tests.Grains.Codebooks;

/// <summary>How a codebook grain's group comes to be, from a real spec and a directory store, without a cluster.</summary>
[Trait("Category", "Fast")]
public sealed class CodebookGroupOpeningTests : IDisposable
{
    private readonly TinyRun _run = new();

    public void Dispose() => _run.Dispose();

    private CodebookGroupCheckpoints Checkpoints(string job) => new(new DirectoryCheckpointStore(_run.Checkpoints), job, "shared", NullLogger.Instance);

    private CodebookGroupSpec Spec(string job, string mode = "sync") =>
        new(job, "shared", _run.Spec(mode: mode), TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(2));

    [Fact]
    public async Task A_new_group_has_every_task_of_its_group_as_a_member_and_the_clusters_round_deadline()
    {
        var spec = Spec("job1");
        var opened = await CodebookGroupOpening.CreateAsync(spec, Checkpoints("job1"));
        using var group = opened.Group;

        Assert.Equal(["parity", "topic"], opened.State.Members.Order());
        Assert.Equal((0L, 0L, false), (group.Version, opened.State.Rounds, opened.State.Closed));
        Assert.Equal((AggregationMode.Sync, TimeSpan.FromSeconds(2)), (opened.Rules.Mode, opened.Rules.RoundDeadline));
        Assert.Null(opened.From);
        Assert.Null(await CodebookGroupOpening.RestoreAsync(Checkpoints("job1")));
    }

    [Fact]
    public async Task A_group_that_checkpointed_comes_back_with_its_codebooks_and_its_coordinators_state()
    {
        var spec = Spec("job2", mode: "async");
        var checkpoints = Checkpoints("job2");
        var opened = await CodebookGroupOpening.CreateAsync(spec, checkpoints);
        using (var coordinator = new CodebookCoordinator(opened.Group, opened.Rules, opened.State, _ => new Timer(_ => { })))
        {
            coordinator.Leave("topic");
            coordinator.Close();
            await checkpoints.Save(opened.Group, spec, coordinator);
        }
        opened.Group.Dispose();

        var restored = await CodebookGroupOpening.RestoreAsync(Checkpoints("job2"));
        using var group = restored!.Group;

        Assert.Equal(spec, restored.Spec);
        Assert.Equal(["parity"], restored.State.Members);
        Assert.True(restored.State.Closed);
        Assert.Equal(AggregationMode.Async, restored.Rules.Mode);
        Assert.NotNull(restored.From);
    }
}
