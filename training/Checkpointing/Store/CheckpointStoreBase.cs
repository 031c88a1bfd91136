using System.Globalization;
using System.Security.Cryptography;

namespace Accept.Training.Checkpointing.Store;

/// <summary>
/// The commit protocol, shared by every backend: object first, pointer second, hash checked on load.
/// Backends provide only the storage primitives.
/// </summary>
public abstract class CheckpointStoreBase(int keep) : ICheckpointStore
{
    private const string ObjectSuffix = ".ckpt";

    /// <summary>Runs between the object write and the pointer switch; tests use it to simulate a crash there.</summary>
    internal Func<Task>? BeforePointerSwitch { get; set; }

    /// <summary>Retries a save that failed on a transient store error (<see cref="TransientStoreErrors"/>); tests shorten it.</summary>
    internal Polly.ResiliencePipeline SaveRetry { get; set; } = TransientStoreErrors.SaveRetry();

    /// <summary>
    /// Commits <paramref name="content"/> as the scope's newest checkpoint, retrying transient store errors: each
    /// try starts over from the pointer, so a try that failed half-way leaves at most an orphan object.
    /// </summary>
    public async Task<CheckpointInfo> SaveAsync(CheckpointScope scope, CheckpointContent content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(content);
        return await SaveRetry.ExecuteAsync(
            static async (state, cancel) => await state.Store.SaveOnceAsync(state.Scope, state.Content, cancel),
            (Store: this, Scope: scope, Content: content), cancellationToken);
    }

    private async Task<CheckpointInfo> SaveOnceAsync(CheckpointScope scope, CheckpointContent content, CancellationToken cancellationToken)
    {
        var current = await ReadPointerAsync(scope, cancellationToken);
        var entries = current?.Pointer.Entries ?? [];
        var sequence = (entries.Count > 0 ? entries[0].Sequence : 0) + 1;

        var data = CheckpointObjectFormat.Write(content);
        var hash = Convert.ToHexStringLower(SHA256.HashData(data));
        var info = new CheckpointInfo(sequence, $"{sequence.ToString("D12", CultureInfo.InvariantCulture)}-{hash}{ObjectSuffix}", hash, data.LongLength, DateTimeOffset.UtcNow);
        await WriteObjectAsync(scope, info.ObjectName, data, cancellationToken);

        if (BeforePointerSwitch is { } hook)
        {
            await hook();
        }

        var kept = new[] { info }.Concat(entries).Take(keep).ToList();
        var pointer = CheckpointPointer.Create(kept);
        await WritePointerAsync(scope, pointer.ToBytes(), current?.ETag, cancellationToken);
        await DeleteOlderObjectsAsync(scope, kept[^1].Sequence, cancellationToken);
        return info;
    }

    public async Task<LoadedCheckpoint?> LoadLatestAsync(CheckpointScope scope, CancellationToken cancellationToken = default) =>
        await LoadLatestAsync(scope, null, cancellationToken);

    public async Task<LoadedCheckpoint?> LoadLatestAsync(CheckpointScope scope, Func<CheckpointContent, string?>? check, CancellationToken cancellationToken = default)
    {
        var all = await LoadVerifiedAsync(scope, check, stopAtFirst: true, cancellationToken);
        return all.Count == 0 ? null : all[0];
    }

    public Task<IReadOnlyList<LoadedCheckpoint>> LoadVerifiedAsync(CheckpointScope scope, Func<CheckpointContent, string?>? check = null,
        CancellationToken cancellationToken = default) =>
        LoadVerifiedAsync(scope, check, stopAtFirst: false, cancellationToken);

    private async Task<IReadOnlyList<LoadedCheckpoint>> LoadVerifiedAsync(CheckpointScope scope, Func<CheckpointContent, string?>? check, bool stopAtFirst,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var current = await ReadPointerAsync(scope, cancellationToken);
        if (current is null || current.Pointer.Entries.Count == 0)
        {
            return [];
        }
        var skipped = new List<string>();
        var loaded = new List<LoadedCheckpoint>();
        foreach (var entry in current.Pointer.Entries)
        {
            var location = Describe(scope, entry.ObjectName);
            var data = await ReadObjectAsync(scope, entry.ObjectName, cancellationToken);
            if (data is null)
            {
                skipped.Add($"{location}: missing");
                continue;
            }
            var hash = Convert.ToHexStringLower(SHA256.HashData(data));
            if (data.LongLength != entry.Length || hash != entry.Sha256)
            {
                skipped.Add($"{location}: {data.LongLength} bytes with SHA-256 {hash}, expected {entry.Length} bytes with {entry.Sha256}");
                continue;
            }
            CheckpointContent content;
            try
            {
                content = CheckpointObjectFormat.Read(data, location);
            }
            catch (Exception e) when (e is CheckpointCorruptException or System.Text.Json.JsonException)
            {
                skipped.Add($"{location}: {e.Message}");
                continue;
            }
            if (check?.Invoke(content) is { } problem)
            {
                skipped.Add($"{location}: {problem}");
                continue;
            }
            loaded.Add(new LoadedCheckpoint(entry, content, skipped.ToList()));
            if (stopAtFirst)
            {
                return loaded;
            }
        }
        if (loaded.Count == 0)
        {
            throw new CheckpointCorruptException($"No checkpoint of scope '{scope}' verifies: {string.Join("; ", skipped)}.");
        }
        return loaded;
    }

    public async Task<IReadOnlyList<CheckpointInfo>> ListAsync(CheckpointScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var current = await ReadPointerAsync(scope, cancellationToken);
        return current?.Pointer.Entries ?? [];
    }

    public abstract CheckpointStoreLocation Location { get; }

    private async Task<PointerRead?> ReadPointerAsync(CheckpointScope scope, CancellationToken cancellationToken)
    {
        var raw = await ReadPointerBytesAsync(scope, cancellationToken);
        return raw is null
            ? null
            : new PointerRead(CheckpointPointer.Parse(raw.Value.Data, Describe(scope, CheckpointPointer.FileName)), raw.Value.ETag);
    }

    private async Task DeleteOlderObjectsAsync(CheckpointScope scope, long oldestKept, CancellationToken cancellationToken)
    {
        foreach (var name in await ListObjectNamesAsync(scope, cancellationToken))
        {
            if (name.EndsWith(ObjectSuffix, StringComparison.Ordinal)
                && long.TryParse(name.AsSpan(0, Math.Min(12, name.Length)), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
                && sequence < oldestKept)
            {
                await DeleteObjectAsync(scope, name, cancellationToken);
            }
        }
    }

    /// <summary>A location for messages: never contains credentials.</summary>
    protected abstract string Describe(CheckpointScope scope, string name);

    protected internal abstract Task WriteObjectAsync(CheckpointScope scope, string objectName, byte[] data, CancellationToken cancellationToken);

    /// <summary>The object's bytes, or null when it does not exist.</summary>
    protected internal abstract Task<byte[]?> ReadObjectAsync(CheckpointScope scope, string objectName, CancellationToken cancellationToken);

    protected internal abstract Task<IReadOnlyList<string>> ListObjectNamesAsync(CheckpointScope scope, CancellationToken cancellationToken);

    protected abstract Task DeleteObjectAsync(CheckpointScope scope, string objectName, CancellationToken cancellationToken);

    /// <summary>The pointer's bytes and a version tag for optimistic concurrency, or null when the scope has no pointer.</summary>
    protected abstract Task<(byte[] Data, string? ETag)?> ReadPointerBytesAsync(CheckpointScope scope, CancellationToken cancellationToken);

    /// <summary>Replaces the pointer in one atomic step; fails if it changed since <paramref name="expectedETag"/> was read, where the backend can tell.</summary>
    protected abstract Task WritePointerAsync(CheckpointScope scope, byte[] data, string? expectedETag, CancellationToken cancellationToken);

    private sealed record PointerRead(CheckpointPointer Pointer, string? ETag);
}
