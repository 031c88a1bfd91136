namespace Accept.Training.Prompts;

/// <summary>What is added to the frozen input embeddings: nothing, SCAP, or DePT's low-rank ΔE.</summary>
public enum AddedKind
{
    None,
    Scap,
    Dept,
}
