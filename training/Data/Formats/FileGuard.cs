namespace Accept.Training.Data.Formats;

internal static class FileGuard
{
    public static void RequireFile(string path)
    {
        if (!System.IO.File.Exists(path))
            throw new FileNotFoundException($"data file not found: expected {Path.GetFullPath(path)}", path);
    }
}
