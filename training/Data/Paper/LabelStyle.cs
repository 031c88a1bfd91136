namespace Accept.Training.Data.Paper;

/// <summary>How class labels become target text.</summary>
public enum LabelStyle
{
    /// <summary>DePT's (and so ACCEPT's) targets: the class index as text, "0", "1", "2".</summary>
    Indices,

    /// <summary>T5's original verbalizers: "entailment", "not_entailment", "positive", "True", ….</summary>
    Words,
}
