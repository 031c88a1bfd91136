namespace Accept.Training.Export;

/// <summary>What <see cref="PromptExporter"/> wrote for one task: its folder, the checkpoint step it came from, the shapes of P and ΔE, and fallbacks taken while loading.</summary>
public sealed record ExportedTask(string Task, string Directory, long Step, bool FromBest, long[] PromptShape, long[]? AddedShape, IReadOnlyList<string> Notes);
