using Accept.Training.Config;

namespace Accept.Client.Cluster;

/// <summary>examples/demo.json, built into the client so `accept demo` works from any folder.</summary>
public static class DemoSpec
{
    public const string ResourceName = "examples/demo.json";

    public static RunSpec Read()
    {
        using var stream = typeof(DemoSpec).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The client was built without its {ResourceName} resource.");
        using var reader = new StreamReader(stream);
        return RunSpecReader.Parse(reader.ReadToEnd(), ResourceName);
    }
}
