using Accept.Grains.Checkpoints;
using Accept.Training.Checkpointing.Store;

namespace Accept.Tests.Checkpointing.Store;

[Trait("Category", "Fast")]
public sealed class DirectoryCheckpointStoreTests : CheckpointStoreContractTests, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("accept-ckpt-").FullName;

    protected override CheckpointStoreBase CreateStore(int keep = 3) => new DirectoryCheckpointStore(_root, keep);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Every_file_it_writes_stays_under_the_root_and_no_temporary_file_remains()
    {
        var store = CreateStore();
        var scope = new CheckpointScope("job-1", "codebook.shared");
        await store.SaveAsync(scope, new CheckpointContent(new Dictionary<string, byte[]> { ["c"] = [1, 2, 3] }, new Dictionary<string, string>()));

        var files = Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories).ToList();

        Assert.Equal(2, files.Count);
        Assert.All(files, f => Assert.StartsWith(_root + Path.DirectorySeparatorChar, f));
        Assert.Contains(Path.Combine(_root, "job-1", "codebook.shared", "pointer.json"), files);
        Assert.DoesNotContain(files, f => f.EndsWith(".tmp"));
    }

    [Fact]
    public async Task An_unreadable_pointer_is_reported_with_its_path()
    {
        var store = CreateStore();
        var scope = new CheckpointScope("job-1", "task.a");
        await store.SaveAsync(scope, new CheckpointContent(new Dictionary<string, byte[]>(), new Dictionary<string, string>()));
        var pointer = Path.Combine(_root, "job-1", "task.a", "pointer.json");
        await File.WriteAllTextAsync(pointer, "{\"format\":1,\"entr");

        var error = await Assert.ThrowsAsync<CheckpointCorruptException>(() => store.LoadLatestAsync(scope));

        Assert.Contains(pointer, error.Message);
    }
}
