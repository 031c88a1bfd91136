using static TorchSharp.torch;

namespace Accept.Training.Checkpointing;

/// <summary>
/// State dicts are cloned through intermediate tensors (<c>detach()</c> before <c>clone()</c>) that nothing
/// disposes; taking them inside a scope and keeping only the results stops a long run from leaking them.
/// </summary>
public static class Detached
{
    public static Dictionary<string, Tensor> Keep(Func<Dictionary<string, Tensor>> stateDict)
    {
        using var scope = NewDisposeScope();
        var state = stateDict();
        foreach (var t in state.Values) t.MoveToOuterDisposeScope();
        return state;
    }
}
