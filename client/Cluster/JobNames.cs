using System.Text;
using Accept.Grains.Checkpoints;
using Accept.Training.Checkpointing.Store;

namespace Accept.Client.Cluster;

/// <summary>Job ids double as run folder names and checkpoint scopes, so they keep to <see cref="CheckpointIdentifier"/>'s rule.</summary>
public static class JobNames
{
    /// <summary>A run name from free text (a spec file's name): lower case, other characters become '-', at most 40 characters.</summary>
    public static string RunName(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text.ToLowerInvariant())
        {
            builder.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' ? c : '-');
        }
        var name = builder.ToString().Trim('-', '_');
        while (name.Contains("--", StringComparison.Ordinal))
        {
            name = name.Replace("--", "-", StringComparison.Ordinal);
        }
        name = name.Length > 40 ? name[..40].TrimEnd('-', '_') : name;
        return name.Length == 0 ? "run" : name;
    }

    /// <summary>The job id for a run folder: its name, which <see cref="Accept.Training.Runs.RunDirectory"/> made unique under the runs root.</summary>
    public static string JobId(string runFolderName) => CheckpointIdentifier.Validate(runFolderName.ToLowerInvariant(), "job id");
}
