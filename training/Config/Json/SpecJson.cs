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
            var segments = SpecPath.Segments(e.Path);
            return Walk(segments, document.RootElement, root)
                // A path the document does not have (not expected): System.Text.Json's own words, without its path suffix.
                ?? new SpecException($"{SpecPath.Display(segments)}: {ErrorLines.OneLine(e.Message.Split(" Path: ")[0])}");
        }
    }

    /// <summary>Follows the path through the document and the declared types together; null when the document does not have it.</summary>
    private static SpecException? Walk(List<object> segments, JsonElement element, JsonTypeInfo type)
    {
        for (var i = 0; i < segments.Count; i++)
        {
            var at = segments.Take(i + 1);
            if (segments[i] is int index)
            {
                if (type.Kind != JsonTypeInfoKind.Enumerable || element.ValueKind != JsonValueKind.Array || index >= element.GetArrayLength()) return null;
                (element, type) = (element[index], type.Options.GetTypeInfo(type.ElementType!));
                continue;
            }
            var name = (string)segments[i];
            if (element.ValueKind != JsonValueKind.Object) return null;
            var member = type.Kind == JsonTypeInfoKind.Object ? type.Properties.FirstOrDefault(p => p.Name == name) : null;
            if (type.Kind == JsonTypeInfoKind.Object && member is null)
                return new SpecException($"{SpecPath.Display(at)}: unknown key (expected one of {string.Join(", ", type.Properties.Select(p => p.Name))})");
            var values = element.EnumerateObject().Where(p => p.Name == name).Select(p => p.Value).ToList();
            if (values.Count > 1) return new SpecException($"{SpecPath.Display(at)}: duplicate key (each key may appear once)");
            if (values.Count == 0 || type.Kind is not (JsonTypeInfoKind.Object or JsonTypeInfoKind.Dictionary)) return null;
            (element, type) = (values[0], type.Options.GetTypeInfo(member?.PropertyType ?? type.ElementType!));
        }
        return new SpecException($"{SpecPath.Display(segments)}: expected {Expected(type)}, got {Describe(element)}");
    }

    /// <summary>What a JSON value of this declared type looks like, as error lines say it.</summary>
    private static string Expected(JsonTypeInfo type) => type.Kind switch
    {
        JsonTypeInfoKind.Enumerable => "an array",
        JsonTypeInfoKind.Object or JsonTypeInfoKind.Dictionary => "an object",
        _ => (Nullable.GetUnderlyingType(type.Type) ?? type.Type) switch
        {
            var t when t == typeof(int) || t == typeof(long) => "an integer",
            var t when t == typeof(double) => "a number",
            var t when t == typeof(bool) => "true or false",
            var t when t == typeof(string) => "a non-empty string",
            _ => "a JSON value",
        },
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
            return $"{SpecValues.Printable(s.GetRawText())} (not valid UTF-16: a lone surrogate)";
        }
    }
}
