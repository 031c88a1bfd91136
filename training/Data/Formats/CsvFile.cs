using CsvHelper;

namespace Accept.Training.Data.Formats;

/// <summary>
/// RFC 4180 CSV with a header line, parsed by CsvHelper: quoted fields may hold commas, doubled quotes and
/// line breaks; a stray quote inside an unquoted field is kept as text. Lines come through
/// <see cref="DataLines"/> (UTF-8, NUL and size checks). A quoted field never closed, a header naming a
/// column twice, and a record whose field count differs from the header's are errors naming file, line and
/// column, never quoting the file's text.
/// </summary>
internal static class CsvFile
{
    /// <summary>A quoted record may span lines; beyond this it is an unclosed quote swallowing the file, not data.</summary>
    public const int MaxRecordBytes = 4 * DataLines.MaxLineBytes;

    public static IEnumerable<TextRow> Read(string path)
    {
        using var lines = DataLines.Open(path);
        var unterminatedAt = 0L;
        var options = CsvReaderOptions.Default with
        {
            Separator = ',',
            HasHeader = true,
            TrackLineNumbers = true,
            IncludeValuesInExceptions = false,
            MaxRecordSize = MaxRecordBytes,
            OnMalformedRecord = record =>
            {
                if (record.Reason == CsvMalformedReason.UnterminatedQuote && unterminatedAt == 0) unterminatedAt = Math.Max(1, record.LineNumber);
            },
        };
        using var reader = CsvReader.Create(new DataLinesReader(lines), options, leaveOpen: false);
        string[] header = Header(reader, path);
        while (Next(reader, path))
        {
            var line = (int)reader.LineNumber;
            if (unterminatedAt > 0)
                throw new DataFormatException(path, (int)unterminatedAt, null, "quoted field is not closed before the end of the file");
            if (reader.FieldCount != header.Length)
                throw new DataFormatException(path, line, reader.FieldCount < header.Length ? header[reader.FieldCount] : null,
                    $"expected {header.Length} comma-separated fields (as in the header), found {reader.FieldCount}");
            var fields = new Dictionary<string, string>(header.Length, StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++) fields[header[i]] = reader.GetString(i) ?? "";
            yield return new TextRow(path, line, fields);
        }
        if (unterminatedAt > 0)
            throw new DataFormatException(path, (int)unterminatedAt, null, "quoted field is not closed before the end of the file");
    }

    private static string[] Header(CsvReader reader, string path)
    {
        string[] header;
        try
        {
            header = [.. reader.Headers];
        }
        catch (CsvFormatException e)
        {
            throw new DataFormatException(path, e.LineNumber > 0 ? (int)e.LineNumber : 1, null, "malformed CSV header line");
        }
        if (header.Length == 0 || header.All(string.IsNullOrWhiteSpace))
            throw new DataFormatException(path, null, null, "empty file: expected a header line naming the columns, then records");
        var duplicate = header.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new DataFormatException(path, 1, duplicate.Key, "column appears twice in the header");
        return header;
    }

    private static bool Next(CsvReader reader, string path)
    {
        try
        {
            return reader.Read();
        }
        catch (CsvFormatException e)
        {
            // CsvHelper's messages may quote the record; name the place instead.
            throw new DataFormatException(path, e.LineNumber > 0 ? (int)e.LineNumber : null, null,
                e.ByteOffset > 0 ? $"malformed CSV record near byte {e.ByteOffset:N0}" : "malformed CSV record");
        }
    }
}
