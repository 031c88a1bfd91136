using Accept.Training.Config;

namespace Accept.Client.Cluster;

/// <summary>
/// Silos run in other working directories (and on other machines), so every path a spec names travels as an
/// absolute path, resolved here against the client's working directory as `train --in-process` resolves it.
/// </summary>
public static class SpecPaths
{
    public static RunSpec MakeAbsolute(RunSpec spec) => spec with
    {
        Backbone = Absolute(spec.Backbone),
        Tasks = spec.Tasks.Select(t => t with
        {
            Path = Absolute(t.Path),
            File = Absolute(t.File),
            TrainFile = Absolute(t.TrainFile),
            ValidationFile = Absolute(t.ValidationFile),
            TestFile = Absolute(t.TestFile),
        }).ToList(),
        Transfer = spec.Transfer is { } transfer ? transfer with { Source = Path.GetFullPath(transfer.Source) } : null,
    };

    private static string? Absolute(string? path) => path is null ? null : Path.GetFullPath(path);
}
