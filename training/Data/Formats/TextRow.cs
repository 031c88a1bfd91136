namespace Accept.Training.Data.Formats;

/// <summary>One record of a delimited file, with where it came from so a bad field can be named.</summary>
internal sealed class TextRow(string file, int line, IReadOnlyDictionary<string, string> fields)
{
    public string File { get; } = file;

    /// <summary>1-based line on which the record starts.</summary>
    public int Line { get; } = line;

    /// <summary>Every field of the record by column name.</summary>
    public IReadOnlyDictionary<string, string> Fields { get; } = fields;

    public string Require(string field) =>
        Fields.TryGetValue(field, out var value)
            ? value
            : throw Error(field, $"missing column (the header has {Fields.Count} other columns)");

    public DataFormatException Error(string field, string problem) => new(File, Line, field, problem);
}
