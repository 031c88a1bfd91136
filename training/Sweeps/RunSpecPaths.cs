using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Accept.Training.Config;

namespace Accept.Training.Sweeps;

/// <summary>
/// Sets a run-spec key by dotted path (<c>method.scpp.codebook_size</c>; a number segment indexes an array:
/// <c>tasks.0.max_length</c>) and checks the result with <see cref="RunSpecReader"/>, so a sampled value the
/// run spec rejects is reported with the run spec's own message.
/// </summary>
public static partial class RunSpecPaths
{
    [GeneratedRegex("^[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*$")]
    private static partial Regex DottedPath();

    public static bool IsValidPath(string path) => DottedPath().IsMatch(path);

    /// <summary>The run spec JSON with every <paramref name="values"/> (path → raw JSON value) set.</summary>
    /// <exception cref="SpecException">A path runs through a value that is not an object or array, or past an array's end.</exception>
    public static string Apply(string runSpecJson, IEnumerable<KeyValuePair<string, string>> values)
    {
        var root = JsonNode.Parse(runSpecJson, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })?.AsObject()
            ?? throw new SpecException("base: expected a run spec object");
        foreach (var (path, raw) in values) Set(root, path, JsonNode.Parse(raw));
        return root.ToJsonString();
    }

    /// <summary>Applies the values and reads the result; the reason when the run spec rejects it.</summary>
    public static (RunSpec? Spec, string Json, string? Error) TryApply(string runSpecJson, IEnumerable<KeyValuePair<string, string>> values)
    {
        try
        {
            var json = Apply(runSpecJson, values);
            return (RunSpecReader.Parse(json, "run spec"), json, null);
        }
        catch (SpecException e)
        {
            return (null, runSpecJson, e.Message);
        }
    }

    private static void Set(JsonObject root, string path, JsonNode? value)
    {
        var segments = path.Split('.');
        JsonNode current = root;
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            var last = i == segments.Length - 1;
            var at = string.Join('.', segments.Take(i + 1));
            switch (current)
            {
                case JsonObject obj:
                    if (last)
                    {
                        obj[segment] = value;
                        return;
                    }
                    if (obj[segment] is null) obj[segment] = new JsonObject();
                    current = obj[segment]!;
                    break;
                case JsonArray array when int.TryParse(segment, out var index):
                    if (index < 0 || index >= array.Count) throw new SpecException($"{at}: index {index} is outside the array of {array.Count}");
                    if (last)
                    {
                        array[index] = value;
                        return;
                    }
                    current = array[index] ?? throw new SpecException($"{at}: is null");
                    break;
                default:
                    throw new SpecException($"{at}: cannot set a key inside {current.GetValueKind().ToString().ToLowerInvariant()} {current.ToJsonString()}");
            }
        }
    }
}
