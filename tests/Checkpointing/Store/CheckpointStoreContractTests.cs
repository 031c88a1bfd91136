using System.Text;
using Accept.Grains.Checkpoints;
using Accept.Training.Checkpointing.Store;

namespace Accept.Tests.Checkpointing.Store;

/// <summary>The behaviour every checkpoint store must show; each backend runs it against the real storage.</summary>
[Trait("Category", "Fast")]
public abstract class CheckpointStoreContractTests
{
    private readonly CheckpointScope _scope = new($"job-{Guid.NewGuid():N}"[..20], "task.spam");

    /// <summary>A store on real storage, or a skip when the storage cannot be had here.</summary>
    protected abstract CheckpointStoreBase CreateStore(int keep = 3);

    private static CheckpointContent Content(int step) => new(
        new Dictionary<string, byte[]>
        {
            ["weights.safetensors"] = Enumerable.Range(0, 1000 + step).Select(i => (byte)(i * 7 + step)).ToArray(),
            ["rng"] = Encoding.UTF8.GetBytes($"rng-state-{step}"),
            ["empty"] = [],
        },
        new Dictionary<string, string> { ["step"] = step.ToString(), ["kind"] = "task" });

    private static void AssertSame(CheckpointContent expected, CheckpointContent actual)
    {
        Assert.Equal(expected.Parts.Keys.Order(), actual.Parts.Keys.Order());
        foreach (var (name, bytes) in expected.Parts)
        {
            Assert.Equal(bytes, actual.Parts[name]);
        }
        Assert.Equal(expected.Metadata.OrderBy(p => p.Key), actual.Metadata.OrderBy(p => p.Key));
    }

    [SkippableFact]
    public async Task Empty_scope_loads_nothing()
    {
        var store = CreateStore();
        Assert.Null(await store.LoadLatestAsync(_scope));
        Assert.Empty(await store.ListAsync(_scope));
    }

    [SkippableFact]
    public async Task Saved_checkpoints_round_trip_and_the_newest_loads()
    {
        var store = CreateStore();
        var first = await store.SaveAsync(_scope, Content(10));
        var second = await store.SaveAsync(_scope, Content(20));

        var loaded = await store.LoadLatestAsync(_scope);

        Assert.NotNull(loaded);
        Assert.Equal(second, loaded.Info);
        Assert.Empty(loaded.Skipped);
        AssertSame(Content(20), loaded.Content);
        Assert.Equal([2L, 1L], (await store.ListAsync(_scope)).Select(i => i.Sequence));
        Assert.Equal(1, first.Sequence);
        Assert.Contains(second.Sha256, second.ObjectName);
    }

    [SkippableFact]
    public async Task A_crash_between_object_and_pointer_leaves_the_previous_checkpoint()
    {
        var store = CreateStore();
        await store.SaveAsync(_scope, Content(10));
        store.BeforePointerSwitch = () => throw new IOException("simulated crash");
        store.SaveRetry = Polly.ResiliencePipeline.Empty;

        await Assert.ThrowsAsync<IOException>(() => store.SaveAsync(_scope, Content(20)));

        store.BeforePointerSwitch = null;
        var loaded = await store.LoadLatestAsync(_scope);
        AssertSame(Content(10), loaded!.Content);
        Assert.Single(await store.ListAsync(_scope));

        var next = await store.SaveAsync(_scope, Content(30));
        Assert.Equal(2, next.Sequence);
        AssertSame(Content(30), (await store.LoadLatestAsync(_scope))!.Content);
    }

    [SkippableFact]
    public async Task A_save_retries_a_transient_store_error_and_commits_once_the_store_is_back()
    {
        var store = CreateStore();
        await store.SaveAsync(_scope, Content(10));
        var failures = 0;
        store.SaveRetry = TransientStoreErrors.SaveRetry(attempts: 5, firstDelay: TimeSpan.FromMilliseconds(1));
        store.BeforePointerSwitch = () => ++failures <= 2 ? throw new DirectoryNotFoundException("store outage") : Task.CompletedTask;

        var saved = await store.SaveAsync(_scope, Content(20));

        Assert.Equal(3, failures);
        Assert.Equal(2, saved.Sequence);
        AssertSame(Content(20), (await store.LoadLatestAsync(_scope))!.Content);
        Assert.Equal([2L, 1L], (await store.ListAsync(_scope)).Select(i => i.Sequence));
    }

    [SkippableFact]
    public async Task A_save_that_fails_on_a_lasting_outage_or_a_non_transient_error_throws_and_keeps_the_previous()
    {
        var store = CreateStore();
        await store.SaveAsync(_scope, Content(10));
        var tries = 0;
        store.SaveRetry = TransientStoreErrors.SaveRetry(attempts: 2, firstDelay: TimeSpan.FromMilliseconds(1));
        store.BeforePointerSwitch = () => ++tries > 0 ? throw new IOException("store still out") : Task.CompletedTask;
        await Assert.ThrowsAsync<IOException>(() => store.SaveAsync(_scope, Content(20)));
        Assert.Equal(3, tries);

        tries = 0;
        store.BeforePointerSwitch = () => ++tries > 0 ? throw new InvalidOperationException("a bug, not an outage") : Task.CompletedTask;
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.SaveAsync(_scope, Content(30)));
        Assert.Equal(1, tries);
        AssertSame(Content(10), (await store.LoadLatestAsync(_scope))!.Content);
    }

    [SkippableFact]
    public async Task A_corrupted_newest_object_is_rejected_and_the_previous_loads()
    {
        var store = CreateStore();
        await store.SaveAsync(_scope, Content(10));
        var newest = await store.SaveAsync(_scope, Content(20));
        await CorruptAsync(store, newest);

        var loaded = await store.LoadLatestAsync(_scope);

        AssertSame(Content(10), loaded!.Content);
        Assert.Equal(1, loaded.Info.Sequence);
        var skipped = Assert.Single(loaded.Skipped);
        Assert.Contains(newest.ObjectName, skipped);
        Assert.Contains("expected", skipped);
    }

    [SkippableFact]
    public async Task When_every_checkpoint_is_corrupt_loading_fails_clearly()
    {
        var store = CreateStore();
        var only = await store.SaveAsync(_scope, Content(10));
        await CorruptAsync(store, only);

        var error = await Assert.ThrowsAsync<CheckpointCorruptException>(() => store.LoadLatestAsync(_scope));

        Assert.Contains(_scope.Path, error.Message);
        Assert.Contains(only.Sha256, error.Message);
    }

    [SkippableFact]
    public async Task A_truncated_object_is_never_loaded()
    {
        var store = CreateStore();
        var only = await store.SaveAsync(_scope, Content(10));
        var bytes = (await store.ReadObjectAsync(_scope, only.ObjectName, default))!;
        await store.WriteObjectAsync(_scope, only.ObjectName, bytes[..(bytes.Length / 2)], default);

        await Assert.ThrowsAsync<CheckpointCorruptException>(() => store.LoadLatestAsync(_scope));
    }

    [SkippableFact]
    public async Task Only_the_configured_number_of_checkpoints_is_kept()
    {
        var store = CreateStore(keep: 2);
        for (var step = 1; step <= 5; step++)
        {
            await store.SaveAsync(_scope, Content(step));
        }

        var listed = await store.ListAsync(_scope);

        Assert.Equal([5L, 4L], listed.Select(i => i.Sequence));
        Assert.Equal(listed.Select(i => i.ObjectName).Order(), (await store.ListObjectNamesAsync(_scope, default)).Order());
    }

    /// <summary>Flips one byte in the middle of a committed object, as a bad disk or a partial overwrite would.</summary>
    private async Task CorruptAsync(CheckpointStoreBase store, CheckpointInfo info)
    {
        var bytes = (await store.ReadObjectAsync(_scope, info.ObjectName, default))!;
        bytes[bytes.Length / 2] ^= 0x5a;
        await store.WriteObjectAsync(_scope, info.ObjectName, bytes, default);
    }
}
