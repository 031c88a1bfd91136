namespace Accept.Client.Cluster;

/// <summary>
/// The id of the job this user submitted last, so `accept status` and `accept cancel` work without --job.
/// Kept in ACCEPT_STATE_DIR, else the user's local application data folder.
/// </summary>
public static class LastJob
{
    public const string DirectoryVariable = "ACCEPT_STATE_DIR";

    public static string FilePath => Path.Combine(
        Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } dir
            ? dir
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "accept"),
        "last-job");

    public static void Record(string jobId)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            File.WriteAllText(FilePath, jobId);
        }
        catch (IOException)
        {
            // Only a convenience for later commands; a read-only home must not stop a run.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>The given id, else the recorded one; throws saying to pass --job when there is neither.</summary>
    public static string Resolve(string? given)
    {
        if (given is not null)
        {
            return given;
        }
        var recorded = File.Exists(FilePath) ? File.ReadAllText(FilePath).Trim() : "";
        return recorded.Length > 0
            ? recorded
            : throw new ArgumentException($"No --job given and no job recorded in {FilePath}: pass --job ID (the id `accept train` prints at start).");
    }
}
