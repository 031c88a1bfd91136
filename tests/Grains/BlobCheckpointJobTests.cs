using Accept.GrainInterfaces.Jobs;
using Accept.Grains.Checkpoints;
using Accept.Training.Checkpointing.Store;
using Accept.Tests.Checkpointing.Store;
using Accept.Tests.Cluster;
using Accept.Training.Checkpointing;

namespace Accept.Tests.Grains;

/// <summary>A whole job checkpointing to Blob Storage (Azurite).</summary>
[Trait("Category", "MultiProcess")]
public sealed class BlobCheckpointJobTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [SkippableFact]
    public async Task A_job_checkpoints_its_tasks_codebooks_and_record_to_blob_storage()
    {
        if (azurite.ConnectionString is null)
        {
            if (azurite.NpmMissing)
            {
                TestEnvironment.SkipOrFail(azurite.Unavailable!);
            }
            throw new InvalidOperationException(azurite.Unavailable);
        }
        using var run = new TinyRun();
        var container = $"grains-{Guid.NewGuid():N}"[..20];
        await using var cluster = GrainSiloConfigurator.Build(run.Checkpoints, workers: 1, blob: (azurite.ConnectionString, container));
        await cluster.DeployAsync();
        var job = cluster.Client.GetGrain<IJobGrain>("blob-job");

        await job.Submit(new JobSubmission(run.Spec(steps: 12, checkpointEvery: 5, evalEvery: 12), null));
        var status = await GrainTestHelpers.WaitForEnd(job, TimeSpan.FromSeconds(60));
        var store = CheckpointStoreFactory.Create(new CheckpointStoreOptions { Kind = CheckpointStoreKind.Blob, ConnectionString = azurite.ConnectionString, Container = container });
        var task = await store.LoadLatestAsync(new CheckpointScope("blob-job", CheckpointOwners.Task("topic")));
        var record = await store.LoadLatestAsync(new CheckpointScope("blob-job", CheckpointOwners.Job));
        using var checkpoint = TaskCheckpoint.FromBytes(task!.Content.Parts["task"], task.Info.ObjectName);

        Assert.Equal(JobState.Completed, status.State);
        Assert.Equal(12, checkpoint.State.Step);
        Assert.Equal("Completed", task.Content.Metadata["state"]);
        Assert.Equal("Completed", record!.Content.Metadata["state"]);
        Assert.Empty(Directory.EnumerateFiles(run.Checkpoints, "*", SearchOption.AllDirectories));
        // 12 steps with checkpoint_every 5: the final checkpoints are at 12 anyway, codebooks included, and the
        // best evaluation (step 12, the only one) has its own scope, as in-process.
        var group = await store.LoadLatestAsync(new CheckpointScope("blob-job", CheckpointOwners.Codebook(Accept.Training.Config.RunSpec.DefaultGroup)));
        using (var codebooks = CodebookCheckpoint.FromBytes(group!.Content.Parts[CheckpointParts.Codebook]))
        {
            Assert.Equal(long.Parse(task.Content.Metadata[CheckpointParts.CodebookVersion]), codebooks.Version);
        }
        var best = await store.LoadLatestAsync(new CheckpointScope("blob-job", CheckpointOwners.Best("topic")));
        Assert.Equal("12", best!.Content.Metadata[CheckpointParts.Step]);
        Assert.True(best.Content.Parts.ContainsKey(CheckpointParts.Codebook));
    }
}
