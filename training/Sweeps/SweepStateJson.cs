using System.Text.Json;
using System.Text.Json.Serialization;

namespace Accept.Training.Sweeps;

/// <summary>The persisted form of a <see cref="SweepState"/> (the sweep directory's <c>state.json</c>).</summary>
public static class SweepStateJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static string ToJson(SweepState state) => JsonSerializer.Serialize(state, Options);

    /// <param name="source">Names the file in the error.</param>
    public static SweepState FromJson(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<SweepState>(json, Options) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not a sweep state ({e.Message})", e);
        }
    }
}
