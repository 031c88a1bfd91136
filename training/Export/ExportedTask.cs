namespace Accept.Training.Export;

/// <summary>What <see cref="PromptExporter"/> wrote for one task: its folder, the checkpoint step it came from and the shapes of P and ΔE.</summary>
public sealed record ExportedTask(string Task, string Directory, long Step, bool FromBest, long[] PromptShape, long[]? AddedShape);
