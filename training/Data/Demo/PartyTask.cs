using System.Text.Json;
using System.Text.RegularExpressions;
using Accept.Training.Data.Formats;
using Accept.Training.Metrics;

namespace Accept.Training.Data.Demo;

/// <summary>State of the Union: passage → the president's party. The package stores each address as one
/// line of text, so passages are runs of whole sentences up to the input cap. Splits are by address, so no
/// test passage shares a speech with a training passage.</summary>
internal static partial class PartyTask
{
    /// <summary>Shorter passages (a salutation, a closing) say too little to classify.</summary>
    private const int MinPassageChars = 80;

    private sealed record Address(string File, string Party, IReadOnlyList<string> Passages);

    public static TaskData Load(string cacheDir, DemoTaskOptions options)
    {
        var dataDirectory = DemoDatasets.DataDirectory(cacheDir, DemoDatasets.Sotu);
        if (!Directory.Exists(dataDirectory))
            throw new DirectoryNotFoundException($"State of the Union data not found: expected {dataDirectory} (run DemoDatasets.EnsureInstalled first)");

        var addresses = new List<Address>();
        foreach (var file in Directory.GetFiles(dataDirectory, "*.json").Order(StringComparer.Ordinal))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            var row = new JsonRow(file, 1, document.RootElement);
            addresses.Add(new Address(file, row.RequireString("party"), Passages(row.RequireString("text"), options.MaxInputChars)));
        }
        var parties = addresses.GroupBy(a => a.Party)
            .Where(g => g.Count() >= options.MinAddressesPerParty)
            .Select(g => g.Key).Order(StringComparer.Ordinal).ToList();
        if (parties.Count < 2)
            throw new InvalidOperationException(
                $"party task needs at least two parties with {options.MinAddressesPerParty} or more addresses in {dataDirectory}; found {parties.Count}");

        var kept = addresses.Where(a => parties.Contains(a.Party)).ToList();
        var (train, validation, test) = StratifiedSplit.Apply(kept, a => a.Party, options.TrainFraction, options.ValidationFraction, options.Seed);
        return TaskDataBuilder.Build("party", (Flatten(train, options.Seed), Flatten(validation, options.Seed), Flatten(test, options.Seed)),
            MetricKind.Accuracy, options.Caps, options.Seed, labels: parties);
    }

    private static List<LabeledExample> Flatten(List<Address> addresses, int seed)
    {
        var passages = addresses.SelectMany(a => a.Passages.Select(p => new LabeledExample(new Example(p, a.Party)))).ToList();
        return [.. DatasetSplitter.Permutation(passages.Count, seed).Select(i => passages[i])];
    }

    /// <summary>Greedy runs of whole sentences of at most <paramref name="maxChars"/> characters; a longer
    /// sentence is cut.</summary>
    internal static List<string> Passages(string text, int maxChars)
    {
        var passages = new List<string>();
        var current = "";
        foreach (var raw in SentenceEnd().Split(text))
        {
            var sentence = raw.Trim();
            if (sentence.Length == 0) continue;
            if (current.Length > 0 && current.Length + 1 + sentence.Length > maxChars)
            {
                passages.Add(current);
                current = "";
            }
            current = current.Length == 0 ? sentence : current + " " + sentence;
            if (current.Length > maxChars) current = current[..maxChars].TrimEnd();
        }
        if (current.Length > 0) passages.Add(current);
        return passages.Where(p => p.Length >= MinPassageChars).ToList();
    }

    [GeneratedRegex(@"(?<=[.!?][""']?)\s+(?=[""']?[A-Z])")]
    private static partial Regex SentenceEnd();
}
