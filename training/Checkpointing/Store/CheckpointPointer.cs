using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Accept.Training.Checkpointing.Store;

/// <summary>
/// The small object that commits checkpoints: the newest first, then a few older ones to fall back to.
/// Switching it is the single atomic step of a save. It carries the SHA-256 of its own entries, and every
/// entry must name an object of the form <c>{sequence:D12}-{sha256}.ckpt</c> that agrees with the entry,
/// so a pointer edited by hand, or one naming a path (<c>../x</c>), is rejected as a whole.
/// </summary>
internal sealed partial record CheckpointPointer(
    [property: JsonPropertyName("format")] int Format,
    [property: JsonPropertyName("entries")] IReadOnlyList<CheckpointInfo> Entries,
    [property: JsonPropertyName("entries_sha256")] string? EntriesSha256 = null)
{
    public const string FileName = "pointer.json";
    public const int CurrentFormat = 2;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private static readonly JsonSerializerOptions Compact = new(JsonSerializerDefaults.Web);

    public static CheckpointPointer Create(IReadOnlyList<CheckpointInfo> entries) => new(CurrentFormat, entries, HashOf(entries));

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
        foreach (var entry in pointer.Entries)
        {
            if (entry is null || !ObjectName().IsMatch(entry.ObjectName ?? "") || entry.Sequence < 1 || entry.Length < 0
                || entry.ObjectName![..12] != entry.Sequence.ToString("D12", System.Globalization.CultureInfo.InvariantCulture)
                || entry.ObjectName[13..^5] != entry.Sha256)
            {
                throw new CheckpointCorruptException(
                    $"Checkpoint pointer {location} has an entry naming '{entry?.ObjectName}': expected '<sequence:D12>-<sha256>.ckpt' matching the entry's sequence and sha256.");
            }
        }
        if (pointer.EntriesSha256 != HashOf(pointer.Entries))
        {
            throw new CheckpointCorruptException(
                $"Checkpoint pointer {location}: entries_sha256 does not match its entries (the pointer was edited or damaged).");
        }
        return pointer;
    }

    private static string HashOf(IReadOnlyList<CheckpointInfo> entries) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(entries, Compact)));

    [GeneratedRegex("^[0-9]{12}-[0-9a-f]{64}\\.ckpt$", RegexOptions.CultureInvariant)]
    private static partial Regex ObjectName();
}
