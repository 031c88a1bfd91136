using System.IO.Compression;
using System.Text.Json;

namespace Accept.Training.Data.Formats;

/// <summary>One JSON object per line, plain or gzip-compressed (by the .gz extension).</summary>
internal static class JsonlFile
{
    public static IEnumerable<JsonRow> Read(string path)
    {
        FileGuard.RequireFile(path);
        using var stream = OpenMaybeCompressed(path);
        using var reader = new StreamReader(stream);
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line);
            }
            catch (JsonException e)
            {
                throw new DataFormatException(path, lineNumber, null, $"not valid JSON: {e.Message}", e);
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

    private static Stream OpenMaybeCompressed(string path)
    {
        var file = System.IO.File.OpenRead(path);
        return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
    }
}
