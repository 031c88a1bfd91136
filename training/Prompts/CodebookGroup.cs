using Accept.Training.MultiTask;
using Accept.Training.Optim;
using TorchSharp;
using static TorchSharp.torch;

namespace Accept.Training.Prompts;

/// <summary>
/// The shared subspace codebooks of a group of tasks (SCPP, and SCAP when the added side is SCAP), with
/// their AdamW state and a version that increases by one with every applied update. Tasks never change
/// the codebooks: they compute gradients against a <see cref="Snapshot"/> and the owner applies their
/// mean with <see cref="Apply"/> (what the codebook grain does).
/// </summary>
public sealed class CodebookGroup : IDisposable
{
    private readonly Dictionary<string, SubspaceCodebook> _codebooks = new();
    private readonly Dictionary<string, Tensor> _tensors = new();
    private readonly AdamW _adam;

    /// <param name="device">Where the codebooks live; drawn on the CPU first, so every device starts from the same values.</param>
    public CodebookGroup(string name, PromptLayout layout, CodebookGroupOptions options, long seed, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        Name = name;
        Layout = layout;
        Options = options;
        if (layout.HasScppCodebook)
        {
            using var g = new Generator((ulong)SeedDerivation.Derive(seed, name + "/" + PromptTensorNames.ScppCodebook));
            Add(PromptTensorNames.ScppCodebook,
                new SubspaceCodebook(layout.Scpp.K, layout.Scpp.R, layout.Scpp.T, Math.Sqrt(5), g, dtype));
        }
        if (layout.HasScapCodebook)
        {
            using var g = new Generator((ulong)SeedDerivation.Derive(seed, name + "/" + PromptTensorNames.ScapCodebook));
            Add(PromptTensorNames.ScapCodebook,
                new SubspaceCodebook(layout.Scap.K, layout.Scap.R, layout.Scap.T, 0, g, dtype));
        }
        if (device is not null)
            foreach (var (key, codebook) in _codebooks)
                _tensors[key] = codebook.to(device).Codebook;
        _adam = new AdamW(_tensors, options.Adam);
    }

    public string Name { get; }
    public PromptLayout Layout { get; }
    public CodebookGroupOptions Options { get; }
    public bool Frozen => Options.Frozen;

    /// <summary>Increases by one with every applied update.</summary>
    public long Version { get; private set; }

    /// <summary>Calls to <see cref="Apply"/>, skipped ones included: the learning-rate schedule's step.</summary>
    public long Rounds { get; private set; }

    public long SkippedSteps => _adam.SkippedSteps;

    /// <summary>The live codebook parameters by name (read them; never change them outside <see cref="Apply"/>).</summary>
    public IReadOnlyDictionary<string, Tensor> Codebooks => _tensors;

    /// <summary>Detached clones of the codebooks at <see cref="Version"/>; the caller disposes them.</summary>
    public Dictionary<string, Tensor> Snapshot() => TensorTransfer.Clone(_tensors);

    /// <summary>
    /// One AdamW step with the mean gradient of the tasks (one tensor per codebook, named as in
    /// <see cref="Codebooks"/>): clipped, guarded against NaN/inf (then skipped, version unchanged).
    /// The caller keeps ownership of <paramref name="meanGradients"/>; they are not modified.
    /// </summary>
    public CodebookUpdate Apply(IReadOnlyDictionary<string, Tensor> meanGradients)
    {
        if (Frozen) throw new InvalidOperationException($"codebook group '{Name}' is frozen; its codebooks take no updates");
        foreach (var key in _tensors.Keys)
            if (!meanGradients.ContainsKey(key))
                throw new ArgumentException($"codebook group '{Name}': gradient for '{key}' missing");

        using var scope = NewDisposeScope();
        var grads = meanGradients.ToDictionary(g => g.Key, g => g.Value.detach().clone());
        double norm = GradientClipping.ClipGlobalNorm(grads.Values, Options.GradClip);
        long step = Rounds++;
        bool applied = _adam.Apply(grads, n => PromptTensorNames.IsAddedSide(n)
            ? Options.AddedSchedule.At(step)
            : Options.PromptSchedule.At(step));
        if (applied) Version++;
        return new CodebookUpdate(applied, Version, norm);
    }

    /// <summary>
    /// Mean of several tasks' codebook gradients, summed exactly (<see cref="ExactSum"/>: the same floats in any
    /// order, as a <see cref="SyncRound"/> computes them); float32, on the first gradient's device. The caller disposes the result.
    /// </summary>
    public static Dictionary<string, Tensor> Mean(IReadOnlyList<IReadOnlyDictionary<string, Tensor>> gradients)
    {
        if (gradients.Count == 0) throw new ArgumentException("Mean: no gradients given");
        var result = new Dictionary<string, Tensor>();
        foreach (var (name, first) in gradients[0])
        {
            var sum = new ExactSum((int)first.numel());
            for (int i = 0; i < gradients.Count; i++)
            {
                if (!gradients[i].TryGetValue(name, out var g))
                    throw new ArgumentException($"Mean: gradient {i} lacks '{name}'");
                sum.Add(g);
            }
            using var mean = sum.Mean(gradients.Count, first.shape);
            result[name] = mean.to(first.device);
        }
        return result;
    }

    /// <summary>Transfer: start from another run's codebooks (every codebook of this group must be given, same shapes).</summary>
    public void InitialiseFrom(IReadOnlyDictionary<string, Tensor> codebooks) =>
        TensorTransfer.CopyInto(_tensors, codebooks, $"codebook group '{Name}' transfer", requireAll: true);

    /// <summary>Codebooks, AdamW moments (<c>optim.*</c>), <c>version</c> and <c>rounds</c>, all as clones.</summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var state = TensorTransfer.Clone(_tensors);
        foreach (var (k, v) in _adam.StateDict()) state["optim." + k] = v;
        state["version"] = tensor(Version);
        state["rounds"] = tensor(Rounds);
        return state;
    }

    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        TensorTransfer.CopyInto(_tensors, state, $"codebook group '{Name}' state", requireAll: true);
        _adam.LoadStateDict(state.Where(kv => kv.Key.StartsWith("optim.", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key["optim.".Length..], kv => kv.Value));
        Version = RequireScalar(state, "version");
        Rounds = RequireScalar(state, "rounds");
    }

    private long RequireScalar(IReadOnlyDictionary<string, Tensor> state, string key) =>
        state.TryGetValue(key, out var t) ? t.item<long>() : throw new ArgumentException($"codebook group '{Name}' state: missing '{key}'");

    private void Add(string name, SubspaceCodebook codebook)
    {
        _codebooks[name] = codebook;
        _tensors[name] = codebook.Codebook;
    }

    public void Dispose()
    {
        _adam.Dispose();
        foreach (var c in _codebooks.Values) c.Dispose();
    }
}
