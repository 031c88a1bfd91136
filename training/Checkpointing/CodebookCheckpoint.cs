using System.Globalization;
using Accept.Training.Prompts;
using static TorchSharp.torch;

namespace Accept.Training.Checkpointing;

/// <summary>
/// A codebook group's state: codebooks, AdamW moments, <c>version</c> and <c>rounds</c>
/// (<see cref="CodebookGroup.StateDict"/>). As bytes: one safetensors blob naming the group. Owns its tensors.
/// </summary>
public sealed class CodebookCheckpoint : IDisposable
{
    private const string Format = "accept-codebook-checkpoint/1";

    public CodebookCheckpoint(string groupName, IReadOnlyDictionary<string, Tensor> tensors)
    {
        GroupName = groupName;
        Tensors = tensors;
    }

    public string GroupName { get; }
    public IReadOnlyDictionary<string, Tensor> Tensors { get; }
    public long Version => Scalar("version");
    public long Rounds => Scalar("rounds");

    public static CodebookCheckpoint Capture(CodebookGroup group) => new(group.Name, Detached.Keep(group.StateDict));

    /// <summary>Loads this state into <paramref name="group"/> (same name and shapes).</summary>
    public void Restore(CodebookGroup group)
    {
        if (group.Name != GroupName)
            throw new ArgumentException($"codebook checkpoint is for group '{GroupName}', not '{group.Name}'");
        group.LoadStateDict(Tensors);
    }

    /// <summary>The codebooks alone (no optimizer state), as views of this checkpoint's tensors.</summary>
    public IReadOnlyDictionary<string, Tensor> Codebooks =>
        Tensors.Where(t => t.Key is PromptTensorNames.ScppCodebook or PromptTensorNames.ScapCodebook).ToDictionary();

    public byte[] ToBytes() => SafetensorsBytes.Encode(Tensors, new Dictionary<string, string>
    {
        ["format"] = Format,
        ["group"] = GroupName,
        ["version"] = Version.ToString(CultureInfo.InvariantCulture),
    });

    public static CodebookCheckpoint FromBytes(ReadOnlySpan<byte> bytes, string source = "codebook checkpoint")
    {
        var (tensors, metadata) = SafetensorsBytes.Decode(bytes, source);
        if (metadata.GetValueOrDefault("format") != Format || !metadata.TryGetValue("group", out var group)
            || !tensors.ContainsKey("version") || !tensors.ContainsKey("rounds"))
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw new InvalidDataException($"{source}: not a codebook checkpoint (expected format {Format} with a group name, version and rounds)");
        }
        return new CodebookCheckpoint(group, tensors);
    }

    private long Scalar(string key) => Tensors[key].item<long>();

    public void Dispose()
    {
        foreach (var t in Tensors.Values) t.Dispose();
    }
}
