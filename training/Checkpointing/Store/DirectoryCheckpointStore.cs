namespace Accept.Training.Checkpointing.Store;

/// <summary>
/// Checkpoints under a local root: root/job/owner/objects/*.ckpt and root/job/owner/pointer.json. Files are
/// written to a temporary name, flushed, then renamed, so the pointer switch is one atomic rename.
/// </summary>
public sealed class DirectoryCheckpointStore : CheckpointStoreBase
{
    private readonly string _root;

    public DirectoryCheckpointStore(string root, int keep = 3) : base(keep)
    {
        if (string.IsNullOrWhiteSpace(root))
        {
            throw new ArgumentException("Checkpoint root directory must be set (Accept:Checkpoints:Root).", nameof(root));
        }
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)) + Path.DirectorySeparatorChar;
    }

    public string Root => _root;

    public override CheckpointStoreLocation Location => new(CheckpointStoreKind.Directory, _root, null);

    protected override string Describe(CheckpointScope scope, string name) => PathOf(scope, name);

    protected internal override async Task WriteObjectAsync(CheckpointScope scope, string objectName, byte[] data, CancellationToken cancellationToken) =>
        await WriteAtomicallyAsync(PathOf(scope, objectName), data, cancellationToken);

    protected internal override async Task<byte[]?> ReadObjectAsync(CheckpointScope scope, string objectName, CancellationToken cancellationToken)
    {
        var path = PathOf(scope, objectName);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken) : null;
    }

    protected internal override Task<IReadOnlyList<string>> ListObjectNamesAsync(CheckpointScope scope, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(PathOf(scope, "x.ckpt"))!;
        IReadOnlyList<string> names = Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory).Select(Path.GetFileName).OfType<string>().ToList()
            : [];
        return Task.FromResult(names);
    }

    protected override Task DeleteObjectAsync(CheckpointScope scope, string objectName, CancellationToken cancellationToken)
    {
        File.Delete(PathOf(scope, objectName));
        return Task.CompletedTask;
    }

    protected override async Task<(byte[] Data, string? ETag)?> ReadPointerBytesAsync(CheckpointScope scope, CancellationToken cancellationToken)
    {
        var path = PathOf(scope, CheckpointPointer.FileName);
        return File.Exists(path) ? (await File.ReadAllBytesAsync(path, cancellationToken), null) : null;
    }

    protected override async Task WritePointerAsync(CheckpointScope scope, byte[] data, string? expectedETag, CancellationToken cancellationToken) =>
        await WriteAtomicallyAsync(PathOf(scope, CheckpointPointer.FileName), data, cancellationToken);

    /// <summary>
    /// The full path of a file of the scope. Every component is a validated identifier already; the prefix
    /// check is the second line of defence that keeps every path under the root.
    /// </summary>
    private string PathOf(CheckpointScope scope, string name)
    {
        var relative = name == CheckpointPointer.FileName
            ? Path.Combine(scope.JobId, scope.Owner, name)
            : Path.Combine(scope.JobId, scope.Owner, "objects", name);
        var full = Path.GetFullPath(Path.Combine(_root, relative));
        if (!full.StartsWith(_root, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Checkpoint path '{full}' would leave the checkpoint root '{_root}'.", nameof(name));
        }
        return full;
    }

    private static async Task WriteAtomicallyAsync(string path, byte[] data, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await stream.WriteAsync(data, cancellationToken);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
