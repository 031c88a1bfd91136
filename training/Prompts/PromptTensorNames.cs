namespace Accept.Training.Prompts;

/// <summary>The names under which codebooks and task weights travel (gradients, snapshots, state dicts).</summary>
public static class PromptTensorNames
{
    public const string ScppCodebook = "scpp.codebook";
    public const string ScapCodebook = "scap.codebook";
    public const string ScppWeights = "scpp.weights";
    public const string FreePrompt = "prompt";
    public const string ScapWeights = "scap.weights";
    public const string DeptA = "dept.a";
    public const string DeptB = "dept.b";

    /// <summary>Added-side tensors train at the added learning rate; the rest at the prompt learning rate.</summary>
    public static bool IsAddedSide(string name) => name is ScapCodebook or ScapWeights or DeptA or DeptB;
}
