using System.Text.Json;
using static TorchSharp.torch;

namespace Accept.Training.Checkpointing;

/// <summary>
/// One task's training state: its adapter's tensors (weights and AdamW moments, <c>optim.*</c>) and the
/// <see cref="TaskSessionState"/>. As bytes it is one safetensors blob with the state as JSON in
/// <c>__metadata__</c>, so a checkpoint store can keep it as a single object. Owns its tensors.
/// </summary>
public sealed class TaskCheckpoint : IDisposable
{
    private const string Format = "accept-task-checkpoint/1";

    public TaskCheckpoint(IReadOnlyDictionary<string, Tensor> tensors, TaskSessionState state)
    {
        Tensors = tensors;
        State = state;
    }

    public string TaskName => State.Task;
    public IReadOnlyDictionary<string, Tensor> Tensors { get; }
    public TaskSessionState State { get; }

    public byte[] ToBytes() => SafetensorsBytes.Encode(Tensors, new Dictionary<string, string>
    {
        ["format"] = Format,
        ["state"] = JsonSerializer.Serialize(State),
    });

    /// <param name="source">Names the bytes in errors (a file or blob name).</param>
    public static TaskCheckpoint FromBytes(ReadOnlySpan<byte> bytes, string source = "task checkpoint")
    {
        var (tensors, metadata) = SafetensorsBytes.Decode(bytes, source);
        try
        {
            if (!metadata.TryGetValue("format", out var format) || format != Format)
                throw new InvalidDataException($"{source}: not a task checkpoint (format {format ?? "missing"}, expected {Format})");
            var state = metadata.TryGetValue("state", out var json) ? JsonSerializer.Deserialize<TaskSessionState>(json) : null;
            return new TaskCheckpoint(tensors, state ?? throw new InvalidDataException($"{source}: __metadata__.state missing"));
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw e as InvalidDataException ?? new InvalidDataException($"{source}: __metadata__.state is not a task state: {e.Message}", e);
        }
    }

    public void Dispose()
    {
        foreach (var t in Tensors.Values) t.Dispose();
    }
}
