using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Accept.Training.IO;
using Accept.Training.Reporting;

namespace Accept.Training.Runs;

/// <summary>
/// The folder a training run writes: <c>metrics.jsonl</c> (appended and flushed as it goes, so a crash
/// keeps what was measured), <c>summary.json</c>, <c>curves.png</c> and <c>checkpoints/</c>.
/// </summary>
public sealed partial class RunDirectory : IDisposable
{
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    static readonly JsonSerializerOptions JsonLine = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    readonly StreamWriter _metrics;

    public string Path { get; }
    public string Name { get; }
    public string MetricsPath => System.IO.Path.Combine(Path, "metrics.jsonl");
    public string SummaryPath => System.IO.Path.Combine(Path, "summary.json");
    public string PlotPath => System.IO.Path.Combine(Path, "curves.png");
    public string CheckpointsPath => System.IO.Path.Combine(Path, "checkpoints");

    RunDirectory(string path, string name)
    {
        Path = path;
        Name = name;
        Directory.CreateDirectory(CheckpointsPath);
        _metrics = new StreamWriter(new FileStream(MetricsPath, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
    }

    /// <summary>A new run folder <c>root/yyyyMMdd-HHmmss-name</c>.</summary>
    public static RunDirectory Create(string root, string runName)
    {
        if (!SafeName().IsMatch(runName))
            throw new ArgumentException($"run name '{runName}' must match {SafeName()} (letters, digits, '.', '_', '-')", nameof(runName));
        var name = $"{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{runName}";
        var path = System.IO.Path.Combine(System.IO.Path.GetFullPath(root), name);
        for (int i = 2; Directory.Exists(path); i++) path = System.IO.Path.Combine(System.IO.Path.GetFullPath(root), $"{name}-{i}");
        return new RunDirectory(path, System.IO.Path.GetFileName(path));
    }

    /// <summary>
    /// Reopens an existing run folder (resume): metrics are appended. With <paramref name="keepMetricsThroughStep"/>,
    /// records of later steps (measured after the checkpoint being resumed) are dropped first, so the
    /// resumed run's records replace them instead of repeating them.
    /// </summary>
    public static RunDirectory Open(string path, long? keepMetricsThroughStep = null)
    {
        if (!Directory.Exists(path)) throw new DirectoryNotFoundException($"run directory '{path}' does not exist");
        var full = System.IO.Path.GetFullPath(path);
        var metrics = System.IO.Path.Combine(full, "metrics.jsonl");
        if (keepMetricsThroughStep is { } last && File.Exists(metrics))
        {
            var kept = File.ReadAllLines(metrics).Where(line => line.Length > 0 && ParseLine(metrics, line, 0).Step <= last);
            AtomicFile.WriteAllText(metrics, string.Concat(kept.Select(line => line + "\n")));
        }
        return new RunDirectory(full, System.IO.Path.GetFileName(full));
    }

    /// <summary>The resolved run spec the run was started with (<c>spec.json</c>).</summary>
    public string SpecPath => System.IO.Path.Combine(Path, "spec.json");

    public void Append(MetricRecord record) => _metrics.WriteLine(JsonSerializer.Serialize(record, JsonLine));

    public void WriteSummary(RunSummary summary) =>
        AtomicFile.WriteAllText(SummaryPath, JsonSerializer.Serialize(summary, Json));

    /// <summary>Loss and metric curves per task, from what <c>metrics.jsonl</c> holds; majority baselines from
    /// <c>summary.json</c> when it is already written.</summary>
    public void WritePlot()
    {
        var records = ReadMetrics(MetricsPath);
        var baselines = ReadBaselines();
        var tasks = records.GroupBy(r => r.Task).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new TaskCurves(g.Key,
            g.FirstOrDefault(r => r.MetricName is not null)?.MetricName,
            g.Where(r => r.Loss is not null).Select(r => (r.Step, r.Loss!.Value)).ToList(),
            g.Where(r => r.Metric is not null).Select(r => (r.Step, r.Metric!.Value)).ToList(),
            baselines.GetValueOrDefault(g.Key))).ToList();
        RunPlot.SavePng(PlotPath, tasks);
    }

    private Dictionary<string, double?> ReadBaselines()
    {
        if (!File.Exists(SummaryPath)) return [];
        try
        {
            var summary = JsonSerializer.Deserialize<RunSummary>(File.ReadAllText(SummaryPath));
            return summary?.Tasks.ToDictionary(t => t.Key, t => t.Value.MajorityBaseline) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    public static IReadOnlyList<MetricRecord> ReadMetrics(string path)
    {
        var list = new List<MetricRecord>();
        int line = 0;
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0) continue;
            list.Add(ParseLine(path, text, line));
        }
        return list;
    }

    private static MetricRecord ParseLine(string path, string text, int line)
    {
        try { return JsonSerializer.Deserialize<MetricRecord>(text) ?? throw new JsonException("null record"); }
        catch (JsonException e) { throw new InvalidDataException($"{path}:{line}: not a metrics record ({e.Message})"); }
    }

    public void Dispose() => _metrics.Dispose();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex SafeName();
}
