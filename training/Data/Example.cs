namespace Accept.Training.Data;

/// <summary>One text-to-text example: what the encoder reads and what the decoder must produce.</summary>
public sealed record Example(string Input, string Target);
