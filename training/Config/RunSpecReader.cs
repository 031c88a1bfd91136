using Accept.Training.Config.Json;

namespace Accept.Training.Config;

/// <summary>
/// Reads a JSON run spec (docs/run-spec.md): System.Text.Json deserialises it into <see cref="RunSpecDocument"/>
/// and <see cref="RunSpecValidation"/> checks it; every error is one line naming the file and the JSON path of the bad key.
/// </summary>
public static class RunSpecReader
{
    public static RunSpec Read(string path)
    {
        if (!File.Exists(path)) throw new SpecException($"{path}: run spec file not found");
        return Parse(File.ReadAllText(path), path);
    }

    /// <param name="source">Shown in errors (the file name).</param>
    public static RunSpec Parse(string json, string source = "spec")
    {
        try
        {
            return RunSpecValidation.ToRunSpec(SpecJson.Deserialize(json, RunSpecJsonContext.Document));
        }
        catch (SpecException e)
        {
            throw new SpecException($"{source}: {e.Message}");
        }
    }
}
