using System.Globalization;
using Accept.Training.T5;

namespace Accept.Training.Config;

/// <summary>
/// What one training step of a spec needs in memory on a backbone, estimated before anything is allocated,
/// so a spec that cannot fit is refused with the keys that make it large instead of taking the process (or a
/// silo) down. Float32 activations kept for the backward pass: per encoder layer B·L·(6d + 4·h·d_kv + 2·d_ff)
/// plus 2·B·h·L² for attention, per decoder layer B·T·(10d + 6·h·d_kv + 2·d_ff) + 2·B·h·T² plus 2·B·h·T·L for
/// cross-attention, and 3·B·T·V for the logits (logits, log-softmax, gradient), where B = batch_size,
/// L = prompt_length + max_length (l), T = max_target_length + 1. Arithmetic is in doubles, so absurd sizes
/// give a huge estimate, never an overflow. An estimate, not a measurement: it is meant to be within a small
/// factor of `accept bench memory`, and to refuse only what is far out of reach.
/// </summary>
public sealed record StepMemoryEstimate(double ActivationBytes, double LogitBytes, double BackboneBytes)
{
    /// <summary>Caps the memory a step may plan for, in MiB; the default is 80% of the memory the process may use.</summary>
    public const string LimitVariable = "ACCEPT_MEMORY_LIMIT_MB";

    public double TotalBytes => ActivationBytes + LogitBytes + BackboneBytes;

    public static StepMemoryEstimate For(RunSpec spec, T5Config backbone)
    {
        double b = spec.Optimization.BatchSize, d = backbone.DModel, heads = backbone.NumHeads;
        double attentionWidth = heads * backbone.DKv, ff = backbone.DFf * (backbone.IsGated ? 2.0 : 1.0);
        double l = (double)spec.Method.PromptLength + spec.Method.MaxLength;
        double t = spec.Tasks.Count == 0 ? 129 : spec.Tasks.Max(x => (double)x.MaxTargetLength) + 1;
        double encoder = backbone.NumLayers * (b * l * (6 * d + 4 * attentionWidth + 2 * ff) + 2 * b * heads * l * l);
        double decoder = backbone.NumDecoderLayers * (b * t * (10 * d + 6 * attentionWidth + 2 * ff) + 2 * b * heads * t * t + 2 * b * heads * t * l);
        double logits = 3 * b * t * backbone.VocabSize;
        double weights = (double)backbone.VocabSize * d * (backbone.TieWordEmbeddings ? 1 : 2)
            + backbone.NumLayers * (4 * d * attentionWidth + 2 * d * ff)
            + backbone.NumDecoderLayers * (8 * d * attentionWidth + 2 * d * ff);
        return new StepMemoryEstimate(4 * (encoder + decoder), 4 * logits, 4 * weights);
    }

    /// <summary>The cap in bytes: <see cref="LimitVariable"/> when set, else 80% of what the GC reports the process may use.</summary>
    public static double DefaultLimitBytes()
    {
        var text = Environment.GetEnvironmentVariable(LimitVariable);
        if (!string.IsNullOrWhiteSpace(text))
        {
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var mb) || !double.IsFinite(mb) || mb <= 0)
                throw new SpecException($"{LimitVariable}: expected a positive number of MiB, got \"{text}\"");
            return mb * 1024 * 1024;
        }
        return 0.8 * GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }

    /// <summary>Throws <see cref="SpecException"/> naming the keys when a step of <paramref name="spec"/> cannot fit in <paramref name="limitBytes"/>.</summary>
    public static void EnsureFits(RunSpec spec, T5Config backbone, double? limitBytes = null)
    {
        double limit = limitBytes ?? DefaultLimitBytes();
        var estimate = For(spec, backbone);
        if (estimate.TotalBytes <= limit) return;
        var longestTarget = spec.Tasks.Count == 0 ? 128 : spec.Tasks.Max(x => x.MaxTargetLength);
        throw new SpecException(
            $"a training step needs about {Format(estimate.TotalBytes)} (activations {Format(estimate.ActivationBytes)}, logits {Format(estimate.LogitBytes)}, "
            + $"backbone {Format(estimate.BackboneBytes)}) but at most {Format(limit)} is available; lower optimization.batch_size ({spec.Optimization.BatchSize}), "
            + $"method.max_length ({spec.Method.MaxLength}), method.prompt_length ({spec.Method.PromptLength}) or tasks[].max_target_length ({longestTarget}) "
            + $"(the cap: {LimitVariable})");
    }

    private static string Format(double bytes) => bytes switch
    {
        >= 1L << 40 => $"{bytes / (1L << 40):0.#} TiB",
        >= 1L << 30 => $"{bytes / (1L << 30):0.#} GiB",
        _ => $"{bytes / (1L << 20):0.#} MiB",
    };
}
