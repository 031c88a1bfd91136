using Accept.GrainInterfaces.Tasks;
using Accept.Grains.Tasks;
using Accept.Training.Checkpointing;
using Accept.Training.Checkpointing.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace Accept.Tests.Grains.Tasks;

[Trait("Category", "Fast")]
public sealed class TaskCheckpointsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("accept-task-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_new_activation_reads_back_the_session_the_history_and_whether_it_had_completed()
    {
        var checkpoints = new TaskCheckpoints(new DirectoryCheckpointStore(_root), "job1", "sst2", NullLogger.Instance);
        Assert.Null(await checkpoints.LoadLatestAsync());

        TaskMetricPoint[] points = [new(1, 2.5, 0.3, null, 0), new(2, double.NaN, 0.3, 0.75, 1)];
        await checkpoints.SaveAsync([1, 2, 3], points, step: 2, codebookVersion: 1, TaskState.Running);
        var running = await checkpoints.LoadLatestAsync();
        await checkpoints.SaveAsync([4, 5], points[..1], step: 3, codebookVersion: 2, TaskState.Completed);
        var completed = await new TaskCheckpoints(new DirectoryCheckpointStore(_root), "job1", "sst2", NullLogger.Instance).LoadLatestAsync();

        Assert.Equal([1, 2, 3], running!.Task);
        Assert.False(running.Completed);
        Assert.Equal(points, running.History);
        Assert.StartsWith("job1/task-sst2 ", running.Source);
        Assert.Equal([4, 5], completed!.Task);
        Assert.True(completed.Completed);
        Assert.Single(completed.History!);
        Assert.Null(checkpoints.Behind);
    }

    [Fact]
    public async Task The_best_checkpoint_goes_to_its_own_scope_with_the_codebooks()
    {
        var store = new DirectoryCheckpointStore(_root);
        var checkpoints = new TaskCheckpoints(store, "job1", "rte", NullLogger.Instance);

        await checkpoints.SaveBestAsync([7], [8, 9], step: 12, codebookVersion: 5);

        Assert.Null(await checkpoints.LoadLatestAsync());
        var best = await store.LoadLatestAsync(new CheckpointScope("job1", CheckpointOwners.Best("rte")));
        Assert.Equal([8, 9], best!.Content.Parts[CheckpointParts.Codebook]);
        Assert.Equal(("12", "5"), (best.Content.Metadata[CheckpointParts.Step], best.Content.Metadata[CheckpointParts.CodebookVersion]));
    }
}
