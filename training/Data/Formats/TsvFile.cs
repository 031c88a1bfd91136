namespace Accept.Training.Data.Formats;

/// <summary>GLUE's tab-separated files. GLUE writes them without quoting (quotes are literal text), so a
/// line is split on tabs only; this is why a CSV reader must not be used on them.</summary>
internal static class TsvFile
{
    /// <param name="columns">Column names for a file without a header line (CoLA); null to read the header.</param>
    public static IEnumerable<TextRow> Read(string path, IReadOnlyList<string>? columns = null)
    {
        using var lines = DataLines.Open(path);
        var names = columns;
        foreach (var (lineNumber, line) in lines.All())
        {
            if (names is null)
            {
                names = line.Split('\t');
                continue;
            }
            if (line.Length == 0) continue;
            var cells = line.Split('\t');
            if (cells.Length < names.Count)
                throw new DataFormatException(path, lineNumber, names[cells.Length],
                    $"expected {names.Count} tab-separated columns, found {cells.Length}");
            var fields = new Dictionary<string, string>(names.Count);
            for (var i = 0; i < names.Count; i++) fields[names[i]] = cells[i];
            yield return new TextRow(path, lineNumber, fields);
        }
    }
}
