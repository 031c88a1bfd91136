namespace Accept.Training.Data;

/// <summary>An example while loading, before splitting: the answers travel with it so that a split keeps
/// each QA example's gold answers beside it.</summary>
internal sealed record LabeledExample(Example Example, IReadOnlyList<string>? Answers = null);
