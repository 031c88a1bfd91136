namespace Accept.Training.Data.Paper;

/// <summary>How a paper task is read and split.</summary>
public sealed record TaskLoadOptions
{
    /// <summary>Seed of the paper's split rule and of any caps (DePT uses 42).</summary>
    public int Seed { get; init; } = 42;

    public SplitCaps Caps { get; init; } = new();

    public LabelStyle LabelStyle { get; init; } = LabelStyle.Indices;

    /// <summary>Start every input with DePT's task name ("mnli premise: …", "superglue-boolq question: …").
    /// Off by default because DePT's published runs leave add_prefix at its default, false: each task's own
    /// prompt already tells the model which task it is.</summary>
    public bool AddTaskPrefix { get; init; }
}
