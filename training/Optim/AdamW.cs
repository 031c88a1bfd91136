using Accept.Training.Prompts;
using TorchSharp;
using static TorchSharp.torch;

namespace Accept.Training.Optim;

/// <summary>
/// AdamW (decoupled weight decay, bias correction) over explicitly named tensors. Gradients are handed
/// in as plain tensors rather than read from <c>.grad</c>, so the owner of a codebook can apply the mean
/// of gradients computed elsewhere. All parameters share one step counter (one call = one step).
/// </summary>
public sealed class AdamW : IDisposable
{
    private readonly Dictionary<string, Tensor> _parameters;
    private readonly Dictionary<string, Tensor> _expAvg = new();
    private readonly Dictionary<string, Tensor> _expAvgSq = new();

    public AdamW(IReadOnlyDictionary<string, Tensor> parameters, AdamWOptions? options = null)
    {
        Options = options ?? new AdamWOptions();
        _parameters = parameters.ToDictionary(p => p.Key, p => p.Value);
        foreach (var (name, p) in _parameters)
        {
            _expAvg[name] = zeros_like(p).requires_grad_(false);
            _expAvgSq[name] = zeros_like(p).requires_grad_(false);
        }
    }

    public AdamWOptions Options { get; }

    /// <summary>Updates applied so far (skipped ones not counted).</summary>
    public long Step { get; private set; }

    /// <summary>Steps refused because a gradient held NaN or ±inf.</summary>
    public long SkippedSteps { get; private set; }

    public IReadOnlyCollection<string> Names => _parameters.Keys;

    /// <summary>Counts a step refused by the caller (e.g. a non-finite loss or a non-finite gradient elsewhere).</summary>
    public void RecordSkip() => SkippedSteps++;

    /// <summary>
    /// One update of every parameter named in <paramref name="gradients"/> (names not given are left
    /// alone, moments included). Returns false, changing nothing, when any gradient is not finite.
    /// </summary>
    public bool Apply(IReadOnlyDictionary<string, Tensor> gradients, Func<string, double> learningRate)
    {
        foreach (var name in gradients.Keys)
        {
            if (!_parameters.TryGetValue(name, out var p))
                throw new ArgumentException($"AdamW: gradient for unknown parameter '{name}'");
            if (!gradients[name].shape.SequenceEqual(p.shape))
                throw new ArgumentException(
                    $"AdamW: gradient '{name}' has shape [{string.Join(",", gradients[name].shape)}], parameter has [{string.Join(",", p.shape)}]");
        }
        if (!GradientGuard.AllFinite(gradients.Values))
        {
            SkippedSteps++;
            return false;
        }

        Step++;
        double bias1 = 1 - Math.Pow(Options.Beta1, Step);
        double bias2 = 1 - Math.Pow(Options.Beta2, Step);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (name, grad) in gradients)
        {
            var p = _parameters[name];
            var g = grad.to(p.dtype, p.device);
            double lr = learningRate(name);
            // Explicit Scalars held across the calls: an implicit one may be finalized while libtorch reads it.
            if (Options.WeightDecay != 0)
            {
                using var decay = (1 - lr * Options.WeightDecay).ToScalar();
                p.mul_(decay);
            }
            using var beta1 = Options.Beta1.ToScalar();
            using var oneMinusBeta1 = (1 - Options.Beta1).ToScalar();
            using var beta2 = Options.Beta2.ToScalar();
            using var oneMinusBeta2 = (1 - Options.Beta2).ToScalar();
            using var sqrtBias2 = Math.Sqrt(bias2).ToScalar();
            using var eps = Options.Eps.ToScalar();
            using var stepSize = (-lr / bias1).ToScalar();
            var m = _expAvg[name].mul_(beta1).add_(g, alpha: oneMinusBeta1);
            var v = _expAvgSq[name].mul_(beta2).addcmul_(g, g, value: oneMinusBeta2);
            // Same operation order as torch.optim.AdamW: denom = sqrt(v)/sqrt(bias2) + eps.
            var denom = v.sqrt().div_(sqrtBias2).add_(eps);
            p.addcdiv_(m, denom, value: stepSize);
        }
        return true;
    }

    /// <summary>Moments as named clones (<c>{name}.exp_avg</c>, <c>{name}.exp_avg_sq</c>) plus <c>step</c>/<c>skipped</c> scalars.</summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var state = new Dictionary<string, Tensor>();
        var expAvg = TensorTransfer.Clone(_expAvg);
        var expAvgSq = TensorTransfer.Clone(_expAvgSq);
        foreach (var name in _parameters.Keys)
        {
            state[$"{name}.exp_avg"] = expAvg[name];
            state[$"{name}.exp_avg_sq"] = expAvgSq[name];
        }
        state["step"] = tensor(Step);
        state["skipped"] = tensor(SkippedSteps);
        return state;
    }

    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        using var noGrad = no_grad();
        foreach (var name in _parameters.Keys)
        {
            _expAvg[name].copy_(Require(state, $"{name}.exp_avg", _expAvg[name]));
            _expAvgSq[name].copy_(Require(state, $"{name}.exp_avg_sq", _expAvgSq[name]));
        }
        Step = Require(state, "step", null).item<long>();
        SkippedSteps = state.TryGetValue("skipped", out var s) ? s.item<long>() : 0;
    }

    private static Tensor Require(IReadOnlyDictionary<string, Tensor> state, string key, Tensor? like)
    {
        if (!state.TryGetValue(key, out var t))
            throw new ArgumentException($"optimizer state: missing tensor '{key}'");
        if (like is not null && !t.shape.SequenceEqual(like.shape))
            throw new ArgumentException(
                $"optimizer state: '{key}' has shape [{string.Join(",", t.shape)}], expected [{string.Join(",", like.shape)}]");
        return t;
    }

    public void Dispose()
    {
        foreach (var t in _expAvg.Values.Concat(_expAvgSq.Values)) t.Dispose();
    }
}
