using System.Text.Json;
using System.Text.Json.Serialization;

namespace Accept.Training.Checkpointing.Store;

/// <summary>
/// The small object that commits checkpoints: the newest first, then a few older ones to fall back to.
/// Switching it is the single atomic step of a save.
/// </summary>
internal sealed record CheckpointPointer(
    [property: JsonPropertyName("format")] int Format,
    [property: JsonPropertyName("entries")] IReadOnlyList<CheckpointInfo> Entries)
{
    public const string FileName = "pointer.json";
    public const int CurrentFormat = 1;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static CheckpointPointer Parse(byte[] bytes, string location)
    {
        CheckpointPointer? pointer;
        try
        {
            pointer = JsonSerializer.Deserialize<CheckpointPointer>(bytes, Json);
        }
        catch (JsonException e)
        {
            throw new CheckpointCorruptException($"Checkpoint pointer {location} is not valid JSON: {e.Message}");
        }
        if (pointer is null || pointer.Format != CurrentFormat || pointer.Entries is null)
        {
            throw new CheckpointCorruptException(
                $"Checkpoint pointer {location} has format {pointer?.Format}; expected {CurrentFormat} with an 'entries' list.");
        }
        return pointer;
    }
}
