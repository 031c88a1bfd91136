namespace Accept.GrainInterfaces;

/// <summary>
/// The string keys of the project's grains. Job ids, task names and group names never contain '/', so a
/// key splits back unambiguously.
/// </summary>
public static class GrainKeys
{
    public const char Separator = '/';

    public static string Task(string jobId, string taskName) => Join(jobId, taskName);

    public static string Codebook(string jobId, string group) => Join(jobId, group);

    /// <summary>Splits a "job/name" key; throws naming the key when it has not exactly two parts.</summary>
    public static (string JobId, string Name) Split(string key)
    {
        var parts = key.Split(Separator);
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            throw new ArgumentException($"Grain key '{key}' is not of the form 'job{Separator}name'.", nameof(key));
        }
        return (parts[0], parts[1]);
    }

    private static string Join(string jobId, string name)
    {
        foreach (var (value, what) in new[] { (jobId, "job id"), (name, "name") })
        {
            if (string.IsNullOrEmpty(value) || value.Contains(Separator))
            {
                throw new ArgumentException($"The {what} '{value}' must be non-empty and contain no '{Separator}'.");
            }
        }
        return $"{jobId}{Separator}{name}";
    }
}
