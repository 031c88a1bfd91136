namespace Accept.Training.Config;

/// <summary>
/// Relative paths in a spec mean the current directory. They are made absolute in this one place: by the
/// client before a spec travels to silos (other working directories, other machines), and by
/// <c>RunContext.Load</c>, so a run directory's spec.json works from anywhere.
/// </summary>
public static class RunSpecAbsolutePaths
{
    public static RunSpec WithAbsolutePaths(this RunSpec spec) => spec with
    {
        Backbone = Full(spec.Backbone),
        Tasks = spec.Tasks.Select(t => t with
        {
            Path = Full(t.Path),
            File = Full(t.File),
            TrainFile = Full(t.TrainFile),
            ValidationFile = Full(t.ValidationFile),
            TestFile = Full(t.TestFile),
        }).ToList(),
        Transfer = spec.Transfer is { } transfer ? transfer with { Source = Path.GetFullPath(transfer.Source) } : null,
    };

    private static string? Full(string? path) => path is null ? null : Path.GetFullPath(path);
}
