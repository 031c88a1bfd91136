namespace Accept.Training.Data;

/// <summary>Bad task data: the message names the file, the line (1-based) and the field where known.</summary>
public sealed class DataFormatException : Exception
{
    public DataFormatException(string file, int? line, string? field, string problem, Exception? inner = null)
        : base(Describe(file, line, field, problem), inner)
    {
        File = file;
        Line = line;
        Field = field;
    }

    public string File { get; }
    public int? Line { get; }
    public string? Field { get; }

    private static string Describe(string file, int? line, string? field, string problem)
    {
        var where = file;
        if (line is int l) where += $", line {l}";
        if (field is not null) where += $", field '{field}'";
        return $"{where}: {problem}";
    }
}
