using System.Text.Json;
using System.Text.Json.Nodes;
using Accept.Training.Data;
using Accept.Training.Data.Formats;

namespace Accept.Training.Prediction;

/// <summary>One record of a prediction input file: where it came from and its own fields (kept, to be written beside the prediction).</summary>
public sealed record PredictionInput(string File, int Line, JsonObject Fields)
{
    /// <summary>A field as text (strings as they are, numbers and booleans as written); a missing, empty or non-scalar field is an error naming file, line and field.</summary>
    public string Text(string field)
    {
        if (!Fields.TryGetPropertyValue(field, out var node) || node is null)
            throw new DataFormatException(File, Line, field, $"missing field (fields present: {string.Join(", ", Fields.Select(f => f.Key))})");
        var text = node.GetValueKind() switch
        {
            JsonValueKind.String => node.GetValue<string>(),
            JsonValueKind.Number => node.ToJsonString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            var kind => throw new DataFormatException(File, Line, field, $"expected a string, number or boolean, found {kind}"),
        };
        return string.IsNullOrWhiteSpace(text) ? throw new DataFormatException(File, Line, field, "input is empty") : text;
    }

    /// <summary>Reads every record of a .jsonl, .jsonl.gz or .csv (RFC 4180, header line) file.</summary>
    public static IReadOnlyList<PredictionInput> ReadAll(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        IEnumerable<PredictionInput> records = full.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)
            ? CsvFile.Read(full).Select(r => new PredictionInput(full, r.Line, new JsonObject(r.Fields.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)JsonValue.Create(f.Value))))))
            : full.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || full.EndsWith(".jsonl.gz", StringComparison.OrdinalIgnoreCase)
                ? JsonlFile.Read(full).Select(r => new PredictionInput(full, r.Line, JsonObject.Create(r.Element.Clone())!))
                : throw new ArgumentException($"{full}: unsupported input file type; expected .jsonl, .jsonl.gz or .csv");
        var all = records.ToList();
        return all.Count > 0 ? all : throw new DataFormatException(full, null, null, "no records in the file");
    }
}
