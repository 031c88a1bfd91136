using Accept.Grains.Checkpoints;
using Accept.Training.Checkpointing.Store;
using Azure.Storage.Blobs;

namespace Accept.Tests.Checkpointing.Store;

[Trait("Category", "MultiProcess")]
public sealed class BlobCheckpointStoreTests(AzuriteFixture azurite) : CheckpointStoreContractTests, IClassFixture<AzuriteFixture>
{
    private readonly string _container = $"test-{Guid.NewGuid():N}";

    protected override CheckpointStoreBase CreateStore(int keep = 3)
    {
        if (azurite.ConnectionString is null)
        {
            if (azurite.NpmMissing)
            {
                Cluster.TestEnvironment.SkipOrFail(azurite.Unavailable!);
            }
            throw new InvalidOperationException(azurite.Unavailable);
        }
        return (CheckpointStoreBase)CheckpointStoreFactory.Create(new CheckpointStoreOptions
        {
            Kind = CheckpointStoreKind.Blob,
            Container = _container,
            ConnectionString = azurite.ConnectionString,
            Keep = keep,
        });
    }

    [SkippableFact]
    public async Task A_second_writer_of_the_same_scope_cannot_overwrite_a_commit_it_did_not_see()
    {
        var store = (BlobCheckpointStore)CreateStore();
        var scope = new CheckpointScope("job-1", "codebook.g");
        await store.SaveAsync(scope, new CheckpointContent(new Dictionary<string, byte[]> { ["c"] = [1] }, new Dictionary<string, string>()));
        var other = new BlobCheckpointStore(new BlobContainerClient(azurite.ConnectionString, _container));
        // The other writer commits while this one sits between its object write and its pointer switch.
        store.BeforePointerSwitch = () => other.SaveAsync(scope, new CheckpointContent(new Dictionary<string, byte[]> { ["c"] = [2] }, new Dictionary<string, string>()));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.SaveAsync(scope, new CheckpointContent(new Dictionary<string, byte[]> { ["c"] = [3] }, new Dictionary<string, string>())));

        Assert.Contains("another writer", error.Message);
        Assert.Equal([2], (await other.LoadLatestAsync(scope))!.Content.Parts["c"]);
    }
}
