using System.Text.Json;

namespace Accept.Training.Config;

/// <summary>
/// Strict typed access to one JSON object of the spec: every read names its JSON path in errors, and
/// <see cref="RejectUnknownKeys"/> refuses keys nobody read.
/// </summary>
internal sealed class JsonObjectReader
{
    private readonly JsonElement _element;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public JsonObjectReader(JsonElement element, string path)
    {
        Path = path;
        if (element.ValueKind != JsonValueKind.Object)
            throw new SpecException($"{Display(path)}: expected an object, got {Describe(element)}");
        _element = element;
    }

    public string Path { get; }

    public string Child(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public bool TryGet(string key, out JsonElement value)
    {
        _known.Add(key);
        if (_element.TryGetProperty(key, out value) && value.ValueKind != JsonValueKind.Null) return true;
        return false;
    }

    public JsonObjectReader? Object(string key) => TryGet(key, out var v) ? new JsonObjectReader(v, Child(key)) : null;

    public int Int(string key, int fallback, int min) => OptionalInt(key, min) ?? fallback;

    public int? OptionalInt(string key, int min)
    {
        if (!TryGet(key, out var v)) return null;
        return ReadInt(v, Child(key), min);
    }

    public long Long(string key, long fallback)
    {
        if (!TryGet(key, out var v)) return fallback;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var x))
            throw new SpecException($"{Child(key)}: expected an integer, got {Describe(v)}");
        return x;
    }

    public double Double(string key, double fallback, bool allowZero)
    {
        if (!TryGet(key, out var v)) return fallback;
        return ReadDouble(v, Child(key), allowZero);
    }

    public bool Bool(string key, bool fallback)
    {
        if (!TryGet(key, out var v)) return fallback;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new SpecException($"{Child(key)}: expected true or false, got {Describe(v)}"),
        };
    }

    public string? String(string key)
    {
        if (!TryGet(key, out var v)) return null;
        if (v.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(v.GetString()))
            throw new SpecException($"{Child(key)}: expected a non-empty string, got {Describe(v)}");
        return v.GetString()!;
    }

    public string RequiredString(string key) =>
        String(key) ?? throw new SpecException($"{Child(key)}: required");

    public T? Enum<T>(string key) where T : struct, System.Enum
    {
        var s = String(key);
        return s is null ? null : SpecEnum.Parse<T>(s, Child(key));
    }

    public void RejectUnknownKeys()
    {
        foreach (var p in _element.EnumerateObject())
            if (!_known.Contains(p.Name))
                throw new SpecException($"{Child(Printable(p.Name))}: unknown key (expected one of {string.Join(", ", _known)})");
    }

    public static int ReadInt(JsonElement v, string path, int min)
    {
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var x) || x < min)
            throw new SpecException($"{path}: expected {(min > 0 ? "a positive" : "a non-negative")} integer, got {Describe(v)}");
        return x;
    }

    public static double ReadDouble(JsonElement v, string path, bool allowZero)
    {
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var x) || !double.IsFinite(x) || x < 0 || (!allowZero && x == 0))
            throw new SpecException($"{path}: expected {(allowZero ? "a non-negative" : "a positive")} number, got {Describe(v)}");
        return x;
    }

    public static string Describe(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => $"\"{Printable(v.GetString()!)}\"",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => v.GetRawText(),
    };

    /// <summary>Text from the document as an error line quotes it: at most 80 characters (<see cref="SpecException"/> escapes control characters).</summary>
    public static string Printable(string text) => text.Length > 80 ? text[..80] + "…" : text;

    /// <summary>Control characters as JSON writes them (\n, \t, \u0000), so the text stays on one line.</summary>
    public static string Escaped(string text) => text.Any(char.IsControl)
        ? string.Concat(text.Select(c => c switch { '\n' => "\\n", '\r' => "\\r", '\t' => "\\t", _ when char.IsControl(c) => $"\\u{(int)c:x4}", _ => c.ToString() }))
        : text;

    private static string Display(string path) => path.Length == 0 ? "(top level)" : path;
}
