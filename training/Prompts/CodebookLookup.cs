using static TorchSharp.torch;

namespace Accept.Training.Prompts;

internal static class CodebookLookup
{
    public static Tensor Require(IReadOnlyDictionary<string, Tensor> codebooks, string name) =>
        codebooks.TryGetValue(name, out var c)
            ? c
            : throw new ArgumentException($"codebook '{name}' missing (given: {string.Join(", ", codebooks.Keys)})");
}
