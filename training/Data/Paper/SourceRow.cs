namespace Accept.Training.Data.Paper;

/// <summary>A paper task's record before it becomes text: the labelled input segments ("premise:", text,
/// …) and either a class index or a free target, plus every gold answer for QA.</summary>
internal sealed record SourceRow(string[] Segments, int? ClassIndex = null, string? Target = null, IReadOnlyList<string>? Answers = null);
