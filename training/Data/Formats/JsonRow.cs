using System.Globalization;
using System.Text.Json;

namespace Accept.Training.Data.Formats;

/// <summary>A JSON object read from a line of a file; field accessors fail naming file, line and field.
/// Valid only while the reader has not moved on to the next line.</summary>
internal readonly struct JsonRow(string file, int line, JsonElement element)
{
    public string File { get; } = file;
    public int Line { get; } = line;
    public JsonElement Element { get; } = element;

    public JsonRow At(JsonElement inner) => new(File, Line, inner);

    public JsonElement Require(string field, JsonValueKind? kind = null)
    {
        if (!Element.TryGetProperty(field, out var value))
            throw Error(field, "missing field");
        if (kind is JsonValueKind k && value.ValueKind != k)
            throw Error(field, $"expected {Describe(k)}, found {value.ValueKind}");
        return value;
    }

    public string RequireString(string field) => Require(field, JsonValueKind.String).GetString()!;

    public int RequireInt(string field)
    {
        var value = Require(field, JsonValueKind.Number);
        return value.TryGetInt32(out var n) ? n : throw Error(field, $"expected an integer, found {value.GetRawText()}");
    }

    /// <summary>Booleans and 0/1 numbers both occur for labels in SuperGLUE releases.</summary>
    public bool RequireBool(string field)
    {
        var value = Require(field);
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when value.TryGetInt32(out var n) && n is 0 or 1 => n == 1,
            _ => throw Error(field, $"expected true/false (or 0/1), found {value.GetRawText()}"),
        };
    }

    /// <summary>A field as text, whatever its JSON type (generic tasks may store numbers or booleans).</summary>
    public string RequireText(string field)
    {
        var value = Require(field);
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => throw Error(field, $"expected a string, number or boolean, found {value.ValueKind}"),
        };
    }

    public DataFormatException Error(string field, string problem) => new(File, Line, field, problem);

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => kind.ToString().ToLower(CultureInfo.InvariantCulture),
    };
}
