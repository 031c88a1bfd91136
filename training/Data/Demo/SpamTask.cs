using System.Text.Json;
using Accept.Training.Data.Formats;
using Accept.Training.Metrics;

namespace Accept.Training.Data.Demo;

/// <summary>SpamAssassin: cleaned e-mail body → "spam" or "ham". The package's folders name the class
/// (easy-ham-1/2 and hard-ham-1 are ham, spam-1/2 spam); each message is a JSON file with its raw text.</summary>
internal static class SpamTask
{
    public static TaskData Load(string cacheDir, DemoTaskOptions options)
    {
        var dataDirectory = DemoDatasets.DataDirectory(cacheDir, DemoDatasets.SpamAssassin);
        if (!Directory.Exists(dataDirectory))
            throw new DirectoryNotFoundException($"spam data not found: expected {dataDirectory} (run DemoDatasets.EnsureInstalled first)");

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var examples = new List<LabeledExample>();
        var files = Directory.GetDirectories(dataDirectory)
            .SelectMany(d => Directory.GetFiles(d, "*.json"))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var group = Path.GetFileName(Path.GetDirectoryName(file)!);
            var label = group.StartsWith("spam", StringComparison.Ordinal) ? "spam" : "ham";
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            var row = new JsonRow(file, 1, document.RootElement);
            var body = EmailText.Clean(row.RequireString("text"), options.MaxInputChars);
            // Exact duplicates would sit on both sides of a split and inflate test scores.
            if (body.Length == 0 || !seen.Add(body)) continue;
            examples.Add(new LabeledExample(new Example(body, label)));
        }
        var splits = StratifiedSplit.Apply(examples, e => e.Example.Target, options.TrainFraction, options.ValidationFraction, options.Seed);
        return TaskDataBuilder.Build("spam", splits, MetricKind.Accuracy, options.Caps, options.Seed, labels: ["ham", "spam"],
            secondary: [MetricKind.F1]);
    }
}
