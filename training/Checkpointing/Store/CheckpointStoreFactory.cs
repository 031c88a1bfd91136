using System.Text.RegularExpressions;
using Azure.Storage.Blobs;

namespace Accept.Training.Checkpointing.Store;

public static partial class CheckpointStoreFactory
{
    [GeneratedRegex("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex ContainerName();

    /// <summary>Builds the configured store; errors name the settings key at fault and never echo the connection string.</summary>
    public static ICheckpointStore Create(CheckpointStoreOptions options)
    {
        if (options.Keep < 1)
        {
            throw new ArgumentException($"{CheckpointStoreOptions.Section}:Keep must be at least 1, got {options.Keep}.");
        }
        return options.Kind switch
        {
            CheckpointStoreKind.Directory => new DirectoryCheckpointStore(options.Root, options.Keep),
            CheckpointStoreKind.Blob => new BlobCheckpointStore(CreateContainer(options), options.Keep),
            _ => throw new ArgumentException($"{CheckpointStoreOptions.Section}:Kind '{options.Kind}' is not Directory or Blob."),
        };
    }

    private static BlobContainerClient CreateContainer(CheckpointStoreOptions options)
    {
        if (!ContainerName().IsMatch(options.Container))
        {
            throw new ArgumentException(
                $"{CheckpointStoreOptions.Section}:Container '{options.Container}' is not a valid container name: 3-63 characters of a-z, 0-9 and single '-'.");
        }
        var connectionString = string.IsNullOrWhiteSpace(options.ConnectionString)
            ? Environment.GetEnvironmentVariable(CheckpointStoreOptions.ConnectionStringVariable)
            : options.ConnectionString;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ArgumentException(
                $"Blob checkpoints need a connection string: set {CheckpointStoreOptions.Section}:ConnectionString or the environment variable {CheckpointStoreOptions.ConnectionStringVariable}.");
        }
        try
        {
            return new BlobContainerClient(connectionString, options.Container);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            // The original message may quote the connection string, so it is not passed on.
            throw new ArgumentException($"The Blob checkpoint connection string is malformed ({e.GetType().Name}).");
        }
    }
}
