using static TorchSharp.torch;

namespace Accept.Training.Checkpointing;

/// <summary>
/// State dicts are cloned through intermediate tensors (<c>detach()</c> before <c>clone()</c>) that nothing
/// disposes; taking them inside a scope and keeping only the results stops a long run from leaking them.
/// The results are on the CPU whatever device trained them: a checkpoint is bytes to be written, and a
/// CUDA run's checkpoint must load on a CPU machine (export, inspection, a silo of another kind).
/// </summary>
public static class Detached
{
    public static Dictionary<string, Tensor> Keep(Func<Dictionary<string, Tensor>> stateDict)
    {
        using var scope = NewDisposeScope();
        var state = stateDict().ToDictionary(t => t.Key, t => t.Value.cpu());
        foreach (var t in state.Values) t.MoveToOuterDisposeScope();
        return state;
    }
}
