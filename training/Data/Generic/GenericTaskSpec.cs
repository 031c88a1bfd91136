using Accept.Training.Metrics;

namespace Accept.Training.Data.Generic;

/// <summary>A task from the user's own JSONL (.jsonl, .jsonl.gz) or CSV (.csv, RFC 4180, header line) files.
/// Give either <see cref="File"/> (cut by the fractions) or <see cref="TrainFile"/> with optional
/// <see cref="ValidationFile"/> and <see cref="TestFile"/>. With train and validation but no test, the
/// paper's rule applies (half of validation becomes test for under 10K training examples, else 1K of train
/// becomes validation).</summary>
public sealed record GenericTaskSpec
{
    public required string Name { get; init; }
    public string? File { get; init; }
    public string? TrainFile { get; init; }
    public string? ValidationFile { get; init; }
    public string? TestFile { get; init; }

    /// <summary>The column or JSON key holding the encoder input (spec key <c>input_field</c>).</summary>
    public required string InputField { get; init; }

    /// <summary>The column or JSON key holding the target text (spec key <c>target_field</c>).</summary>
    public required string TargetField { get; init; }

    public MetricKind Metric { get; init; } = MetricKind.Accuracy;

    /// <summary>Class verbalizers; when given, every target must be one of them.</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    public double TrainFraction { get; init; } = 0.8;
    public double ValidationFraction { get; init; } = 0.1;
    public int Seed { get; init; } = 42;
    public SplitCaps Caps { get; init; } = new();
}
