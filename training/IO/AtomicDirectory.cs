namespace Accept.Training.IO;

/// <summary>
/// A folder built beside its final place and renamed in, so an interrupted build is never taken for a
/// finished one (the folder counterpart of <see cref="AtomicFile"/>).
/// </summary>
public static class AtomicDirectory
{
    /// <summary>Runs <paramref name="build"/> on an empty temporary folder, then renames it over <paramref name="directory"/>.</summary>
    public static void Build(string directory, Action<string> build)
    {
        var building = $"{directory}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(building);
            build(building);
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
            Directory.Move(building, directory);
        }
        finally
        {
            if (Directory.Exists(building)) Directory.Delete(building, recursive: true);
        }
    }
}
