using System.Text;

namespace Accept.Training.Data.Formats;

/// <summary>RFC 4180 CSV with a header line: quoted fields may hold commas, doubled quotes and line breaks.</summary>
internal static class CsvFile
{
    public static IEnumerable<TextRow> Read(string path)
    {
        FileGuard.RequireFile(path);
        using var reader = new StreamReader(path);
        string[]? header = null;
        var line = 1;
        while (true)
        {
            var startLine = line;
            var record = ReadRecord(reader, path, ref line);
            if (record is null) yield break;
            if (header is null)
            {
                if (record.Count > 0) record[0] = record[0].TrimStart('\uFEFF');
                header = [.. record];
                continue;
            }
            if (record.Count == 1 && record[0].Length == 0) continue;
            if (record.Count != header.Length)
                throw new DataFormatException(path, startLine, record.Count < header.Length ? header[record.Count] : null,
                    $"expected {header.Length} comma-separated fields ({string.Join(", ", header)}), found {record.Count}");
            var fields = new Dictionary<string, string>(header.Length);
            for (var i = 0; i < header.Length; i++) fields[header[i]] = record[i];
            yield return new TextRow(path, startLine, fields);
        }
    }

    /// <summary>Reads one record; <paramref name="line"/> advances past every line break consumed.</summary>
    private static List<string>? ReadRecord(StreamReader reader, string path, ref int line)
    {
        if (reader.Peek() < 0) return null;
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var startLine = line;
        while (true)
        {
            var c = reader.Read();
            if (quoted)
            {
                if (c < 0)
                    throw new DataFormatException(path, startLine, null, "quoted field is not closed before the end of the file");
                if (c == '"')
                {
                    if (reader.Peek() == '"') { reader.Read(); field.Append('"'); }
                    else quoted = false;
                }
                else
                {
                    if (c == '\n') line++;
                    field.Append((char)c);
                }
                continue;
            }
            switch (c)
            {
                case < 0:
                    fields.Add(field.ToString());
                    return fields;
                case '"' when field.Length == 0:
                    quoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    line++;
                    fields.Add(field.ToString());
                    return fields;
                default:
                    field.Append((char)c);
                    break;
            }
        }
    }
}
