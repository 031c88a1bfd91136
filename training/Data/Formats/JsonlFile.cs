using System.Text.Json;

namespace Accept.Training.Data.Formats;

/// <summary>One JSON object per line, plain or gzip-compressed (by the .gz extension), read through <see cref="DataLines"/>.</summary>
internal static class JsonlFile
{
    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false };

    public static IEnumerable<JsonRow> Read(string path)
    {
        using var lines = DataLines.Open(path);
        foreach (var (lineNumber, line) in lines.All())
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line, Strict);
            }
            catch (JsonException e)
            {
                // The parser's own message quotes the offending character; say where instead (the file may not be data).
                throw new DataFormatException(path, lineNumber, null,
                    $"not valid JSON{(e.BytePositionInLine is { } b ? $" (at byte {b + 1} of the line)" : "")}: expected one JSON object per line");
            }
            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                    throw new DataFormatException(path, lineNumber, null,
                        $"expected a JSON object per line, found {document.RootElement.ValueKind}");
                yield return new JsonRow(path, lineNumber, document.RootElement);
            }
        }
    }
}
