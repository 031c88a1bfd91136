using System.Text.Json.Serialization;

namespace Accept.Training.Checkpointing;

/// <summary>
/// <c>manifest.json</c> of a checkpoint folder: the step it was taken after, the backbone width (so P and
/// ΔE can be rebuilt without the backbone), the training time so far, and each file's SHA-256.
/// </summary>
public sealed record CheckpointManifest(
    [property: JsonPropertyName("step")] long Step,
    [property: JsonPropertyName("d_model")] int DModel,
    [property: JsonPropertyName("elapsed_s")] double ElapsedSeconds,
    [property: JsonPropertyName("files")] IReadOnlyDictionary<string, string> Files);
