namespace Accept.Client.Cluster;

/// <summary>The sweep this user started last (beside <see cref="LastJob"/>'s file), so `accept sweep status` and `cancel` work without --sweep.</summary>
public static class LastSweep
{
    public static string FilePath => Path.Combine(Path.GetDirectoryName(LastJob.FilePath)!, "last-sweep");

    public static void Record(string sweepId)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            File.WriteAllText(FilePath, sweepId);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only a convenience for later commands.
        }
    }

    public static string Resolve(string? given)
    {
        if (given is not null) return given;
        var recorded = File.Exists(FilePath) ? File.ReadAllText(FilePath).Trim() : "";
        return recorded.Length > 0
            ? recorded
            : throw new ArgumentException($"No --sweep given and no sweep recorded in {FilePath}: pass --sweep ID (the id `accept sweep` prints at start).");
    }
}
