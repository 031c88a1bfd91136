namespace Accept.Client.Options;

/// <summary>Checks a path before a command spends time (a backbone load, a cluster start) that would end in a raw .NET I/O message.</summary>
internal static class PathChecks
{
    /// <summary>Null when files can be created under <paramref name="path"/> (creating it if needed); otherwise what is wrong, in words.</summary>
    public static string? WritableDirectoryProblem(string path)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full)) return "is a file, expected a directory";
        // The nearest existing ancestor decides whether the directory can be made and written.
        var existing = full;
        while (!Directory.Exists(existing))
        {
            var parent = Path.GetDirectoryName(existing);
            if (parent is null) return "no part of this path exists";
            if (File.Exists(parent)) return $"{parent} is a file, expected a directory";
            existing = parent;
        }
        if (existing.StartsWith("/proc", StringComparison.Ordinal) || existing.StartsWith("/sys", StringComparison.Ordinal))
            return "is inside a kernel file system (/proc, /sys), where files cannot be created";
        var probe = Path.Combine(existing, $".accept-write-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose)) { }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot create files in {existing} ({(e is UnauthorizedAccessException ? "permission denied" : "not writable")})";
        }
    }
}
