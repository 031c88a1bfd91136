using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Accept.Training.Config.Json;

/// <summary>
/// Deserialises a spec document and turns whatever System.Text.Json refuses into one <see cref="SpecException"/>
/// line naming the JSON path and what was expected there: invalid JSON (with its line), an unknown key (with the
/// keys its object takes), a repeated key, or a value of the wrong type (with the value found).
/// </summary>
internal static class SpecJson
{
    private static readonly JsonDocumentOptions Lenient = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>
    /// How every spec file is read and written: snake_case keys, comments and trailing commas allowed, a key nobody
    /// declared or a key given twice refused, null members left out when writing, indented output.
    /// </summary>
    public static JsonSerializerOptions Options(IJsonTypeInfoResolver documents) => new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        AllowDuplicateProperties = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        TypeInfoResolver = documents,
    };

    /// <summary>A document type (source-generated in <paramref name="documents"/>) under <see cref="Options"/>.</summary>
    public static JsonTypeInfo<T> TypeInfo<T>(IJsonTypeInfoResolver documents) => (JsonTypeInfo<T>)Options(documents).GetTypeInfo(typeof(T));

    public static T? Deserialize<T>(string json, JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(json, type);
        }
        catch (JsonException e)
        {
            throw Explain(e, json, type);
        }
    }

    /// <summary>The error line for <paramref name="e"/>: what sits at its path in the document, against what the type declares there.</summary>
    private static SpecException Explain(JsonException e, string json, JsonTypeInfo root)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Lenient);
        }
        catch (JsonException syntax)
        {
            return new SpecException($"invalid JSON at line {syntax.LineNumber + 1}: {ErrorLines.OneLine(syntax.Message)}");
        }
        using (document)
        {
            var path = new List<object>();
            var element = document.RootElement;
            var type = root;
            foreach (var segment in SpecPath.Segments(e.Path))
            {
                path.Add(segment);
                if (segment is int index)
                {
                    if (type.Kind != JsonTypeInfoKind.Enumerable || element.ValueKind != JsonValueKind.Array || index >= element.GetArrayLength()) break;
                    element = element[index];
                    type = root.Options.GetTypeInfo(type.ElementType!);
                    continue;
                }
                var name = (string)segment;
                if (element.ValueKind != JsonValueKind.Object) break;
                var member = type.Kind == JsonTypeInfoKind.Object ? type.Properties.FirstOrDefault(p => p.Name == name) : null;
                if (type.Kind == JsonTypeInfoKind.Object && member is null)
                    return new SpecException($"{SpecPath.Display(path)}: unknown key (expected one of {string.Join(", ", type.Properties.Select(p => p.Name))})");
                var values = element.EnumerateObject().Where(p => p.Name == name).Select(p => p.Value).ToList();
                if (values.Count > 1) return new SpecException($"{SpecPath.Display(path)}: duplicate key (each key may appear once)");
                if (values.Count == 0 || (member is null && type.Kind != JsonTypeInfoKind.Dictionary)) break;
                element = values[0];
                type = root.Options.GetTypeInfo(member?.PropertyType ?? type.ElementType!);
            }
            return new SpecException($"{SpecPath.Display(path)}: expected {Expected(type.Type)}, got {Describe(element)}");
        }
    }

    /// <summary>What a JSON value of this declared type looks like, as error lines say it.</summary>
    private static string Expected(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(int) || t == typeof(long) => "an integer",
        var t when t == typeof(double) => "a number",
        var t when t == typeof(bool) => "true or false",
        var t when t == typeof(string) => "a non-empty string",
        var t when t == typeof(JsonElement) => "a JSON value",
        var t when t.IsGenericType && t.GetGenericTypeDefinition() == typeof(List<>) => "an array",
        _ => "an object",
    };

    /// <summary>A JSON value as an error line quotes it: strings quoted and cut at 80 characters, objects and arrays by kind.</summary>
    public static string Describe(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => Quoted(v),
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => v.GetRawText(),
    };

    private static string Quoted(JsonElement s)
    {
        try
        {
            return SpecValues.Quoted(s.GetString()!);
        }
        catch (InvalidOperationException)
        {
            return SpecValues.Printable(s.GetRawText()); // text that is not valid UTF-16 (a lone surrogate escape), as written
        }
    }
}
