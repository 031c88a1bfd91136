using System.Text.Json;
using Accept.Training.Metrics;

namespace Accept.Training.Data.Demo;

/// <summary>CMUdict: lower-case word → ARPAbet phonemes with stress ("cat" → "K AE1 T"). Alternate
/// pronunciations (WORD(1)) and entries with characters other than letters are skipped, so each input has
/// one answer.</summary>
internal static class PhonemesTask
{
    public static TaskData Load(string cacheDir, DemoTaskOptions options)
    {
        var path = Path.Combine(DemoDatasets.DataDirectory(cacheDir, DemoDatasets.CmuDict), "dict.json");
        if (!File.Exists(path))
            throw new FileNotFoundException($"CMUdict not found: expected {path} (run DemoDatasets.EnsureInstalled first)", path);

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var examples = new List<LabeledExample>();
        foreach (var entry in document.RootElement.EnumerateObject())
        {
            if (!entry.Name.All(char.IsAsciiLetterUpper)) continue;
            if (entry.Value.ValueKind != JsonValueKind.String)
                throw new DataFormatException(path, null, entry.Name, $"expected a phoneme string, found {entry.Value.ValueKind}");
            examples.Add(new LabeledExample(new Example(entry.Name.ToLowerInvariant(), entry.Value.GetString()!.Trim())));
        }
        var splits = DatasetSplitter.ByFractions(examples, options.TrainFraction, options.ValidationFraction, options.Seed);
        return TaskDataBuilder.Build("phonemes", splits, MetricKind.ExactMatch, options.Caps, options.Seed,
            secondary: [MetricKind.TokenF1]);
    }
}
