using static TorchSharp.torch;

namespace Accept.Training.Prompts;

/// <summary>Copies saved tensors into live ones by name, checking every name and shape (transfer, checkpoint restore).</summary>
internal static class TensorTransfer
{
    public static void CopyInto(IReadOnlyDictionary<string, Tensor> targets, IReadOnlyDictionary<string, Tensor> source, string what, bool requireAll)
    {
        using var noGrad = no_grad();
        foreach (var (name, target) in targets)
        {
            if (!source.TryGetValue(name, out var s))
            {
                if (requireAll) throw new ArgumentException($"{what}: missing tensor '{name}'");
                continue;
            }
            if (!s.shape.SequenceEqual(target.shape))
                throw new ArgumentException(
                    $"{what}: tensor '{name}' has shape [{string.Join(",", s.shape)}], expected [{string.Join(",", target.shape)}]");
            target.copy_(s);
        }
    }

    /// <summary>Detached copies the caller owns; the <c>detach()</c> views in between die here, even when the caller has no dispose scope.</summary>
    public static Dictionary<string, Tensor> Clone(IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        using var scope = NewDisposeScope();
        var clones = tensors.ToDictionary(t => t.Key, t => t.Value.detach().clone());
        foreach (var clone in clones.Values) clone.MoveToOuterDisposeScope();
        return clones;
    }
}
