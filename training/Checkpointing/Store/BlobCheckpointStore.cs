using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Accept.Training.Checkpointing.Store;

/// <summary>
/// Checkpoints in an Azure Blob container: job/owner/objects/*.ckpt and job/owner/pointer.json. A blob
/// upload is atomic, and the pointer is replaced only if its ETag is unchanged, so two writers of one
/// scope cannot silently overwrite each other's commit.
/// </summary>
public sealed class BlobCheckpointStore(BlobContainerClient container, int keep = 3) : CheckpointStoreBase(keep)
{
    private bool _containerReady;

    public BlobContainerClient Container => container;

    public override CheckpointStoreLocation Location => new(CheckpointStoreKind.Blob, null, container.Name);

    protected override string Describe(CheckpointScope scope, string name) => $"blob {container.Name}/{BlobName(scope, name)}";

    protected internal override async Task WriteObjectAsync(CheckpointScope scope, string objectName, byte[] data, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken);
        await container.GetBlobClient(BlobName(scope, objectName)).UploadAsync(BinaryData.FromBytes(data), overwrite: true, cancellationToken);
    }

    protected internal override async Task<byte[]?> ReadObjectAsync(CheckpointScope scope, string objectName, CancellationToken cancellationToken) =>
        (await DownloadAsync(BlobName(scope, objectName), cancellationToken))?.Data;

    protected internal override async Task<IReadOnlyList<string>> ListObjectNamesAsync(CheckpointScope scope, CancellationToken cancellationToken)
    {
        var prefix = ObjectsPrefix(scope);
        var names = new List<string>();
        await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken))
        {
            names.Add(item.Name[prefix.Length..]);
        }
        return names;
    }

    protected override async Task DeleteObjectAsync(CheckpointScope scope, string objectName, CancellationToken cancellationToken) =>
        await container.DeleteBlobIfExistsAsync(BlobName(scope, objectName), cancellationToken: cancellationToken);

    protected override Task<(byte[] Data, string? ETag)?> ReadPointerBytesAsync(CheckpointScope scope, CancellationToken cancellationToken) =>
        DownloadAsync(BlobName(scope, CheckpointPointer.FileName), cancellationToken);

    protected override async Task WritePointerAsync(CheckpointScope scope, byte[] data, string? expectedETag, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken);
        var conditions = expectedETag is null
            ? new BlobRequestConditions { IfNoneMatch = ETag.All }
            : new BlobRequestConditions { IfMatch = new ETag(expectedETag) };
        try
        {
            await container.GetBlobClient(BlobName(scope, CheckpointPointer.FileName))
                .UploadAsync(BinaryData.FromBytes(data), new BlobUploadOptions { Conditions = conditions }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            throw new InvalidOperationException(
                $"Checkpoint pointer {Describe(scope, CheckpointPointer.FileName)} changed while saving: another writer owns scope '{scope}'.", e);
        }
    }

    private static string ObjectsPrefix(CheckpointScope scope) => $"{scope.Path}/objects/";

    private static string BlobName(CheckpointScope scope, string name) =>
        name == CheckpointPointer.FileName ? $"{scope.Path}/{name}" : ObjectsPrefix(scope) + name;

    private async Task<(byte[] Data, string? ETag)?> DownloadAsync(string blobName, CancellationToken cancellationToken)
    {
        try
        {
            var result = await container.GetBlobClient(blobName).DownloadContentAsync(cancellationToken);
            return (result.Value.Content.ToArray(), result.Value.Details.ETag.ToString());
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (!_containerReady)
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            _containerReady = true;
        }
    }
}
