namespace Accept.Training.Data.Demo;

/// <summary>The demo's tasks over the npm data sets (see <see cref="DemoDatasets"/>).</summary>
public static class DemoTasks
{
    public static IReadOnlyList<string> Names { get; } = ["spam", "phonemes", "party"];

    public static TaskData Load(string name, string cacheDir, DemoTaskOptions options) => name.ToLowerInvariant() switch
    {
        "spam" => SpamTask.Load(cacheDir, options),
        "phonemes" => PhonemesTask.Load(cacheDir, options),
        "party" => PartyTask.Load(cacheDir, options),
        _ => throw new ArgumentException($"unknown demo task '{name}'; expected one of: {string.Join(", ", Names)}", nameof(name)),
    };
}
