using Accept.Training.Optim;
using TorchSharp;
using static TorchSharp.torch;

namespace Accept.Training.Prompts;

/// <summary>
/// One task's own trainable tensors — SCPP weights (or the free prompt) and the added side (SCAP
/// weights or DePT A, B) — with their AdamW state. Codebooks are not here: P and ΔE are built from
/// these weights and codebook tensors handed in (a <see cref="CodebookGroup"/> snapshot).
/// </summary>
public sealed class TaskAdapter : IDisposable
{
    private readonly Dictionary<string, Tensor> _weights;
    private readonly AdamW _adam;

    /// <param name="gradClip">Global-norm clip of this task's own weight gradients (≤ 0: none).</param>
    /// <param name="device">Where the weights live; they are drawn on the CPU first, so every device starts from the same values.</param>
    public TaskAdapter(string taskName, PromptLayout layout, long seed, double gradClip = 1.0, AdamWOptions? adam = null,
        ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        TaskName = taskName;
        Layout = layout;
        GradClip = gradClip;
        using var g = new Generator((ulong)SeedDerivation.Derive(seed, "task/" + taskName));
        Prepended = new PrependedPrompt(layout, g, dtype);
        Added = layout.Added == AddedKind.None ? null : new AddedPrompt(layout, g, dtype);
        if (device is not null)
        {
            Prepended.to(device);
            Added?.to(device);
        }
        _weights = Prepended.NamedWeights().Concat(Added?.NamedWeights() ?? []).ToDictionary();
        _adam = new AdamW(_weights, adam);
    }

    public string TaskName { get; }
    public PromptLayout Layout { get; }
    public double GradClip { get; }
    public PrependedPrompt Prepended { get; }
    public AddedPrompt? Added { get; }

    /// <summary>Updates applied to the weights.</summary>
    public long Steps => _adam.Step;

    /// <summary>Updates refused because a gradient was not finite.</summary>
    public long SkippedSteps => _adam.SkippedSteps;

    /// <summary>The live trainable tensors by <see cref="PromptTensorNames"/>.</summary>
    public IReadOnlyDictionary<string, Tensor> Weights => _weights;

    /// <summary>P (m, d).</summary>
    public Tensor BuildPrepended(IReadOnlyDictionary<string, Tensor> codebooks) => Prepended.forward(codebooks);

    /// <summary>ΔE (l, d), or null when the added side is none.</summary>
    public Tensor? BuildAdded(IReadOnlyDictionary<string, Tensor> codebooks) => Added?.forward(codebooks);

    /// <summary>
    /// Clips (global norm over this task's weights), guards against NaN/inf, and takes one AdamW step:
    /// prepended-side tensors at <paramref name="promptLr"/>, added-side ones at <paramref name="addedLr"/>.
    /// Returns false when skipped. <paramref name="gradients"/> may be scaled in place by clipping.
    /// </summary>
    public bool Apply(IReadOnlyDictionary<string, Tensor> gradients, double promptLr, double addedLr)
    {
        GradientClipping.ClipGlobalNorm(gradients.Values, GradClip);
        return _adam.Apply(gradients, n => PromptTensorNames.IsAddedSide(n) ? addedLr : promptLr);
    }

    /// <summary>Counts a step refused by the caller (non-finite loss, or a non-finite codebook gradient).</summary>
    public void RecordSkip() => _adam.RecordSkip();

    /// <summary>Transfer: start from another run's weights; names not given keep their initialisation.</summary>
    public void InitialiseFrom(IReadOnlyDictionary<string, Tensor> weights) =>
        TensorTransfer.CopyInto(_weights, weights, $"task '{TaskName}' weight transfer", requireAll: false);

    /// <summary>Weights and AdamW moments (<c>optim.*</c>), as clones.</summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var state = TensorTransfer.Clone(_weights);
        foreach (var (k, v) in _adam.StateDict()) state["optim." + k] = v;
        return state;
    }

    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        TensorTransfer.CopyInto(_weights, state, $"task '{TaskName}' state", requireAll: true);
        _adam.LoadStateDict(state.Where(kv => kv.Key.StartsWith("optim.", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key["optim.".Length..], kv => kv.Value));
    }

    public void Dispose()
    {
        _adam.Dispose();
        Prepended.Dispose();
        Added?.Dispose();
    }
}
