using TorchSharp;
using static TorchSharp.torch;

namespace Accept.Training.T5;

/// <summary>The feed-forward sub-layer: pre-norm FFN with a residual connection.</summary>
public sealed class T5LayerFF : nn.Module<Tensor, Tensor>
{
    private readonly T5FeedForward DenseReluDense;
    private readonly T5LayerNorm layer_norm;

    public T5LayerFF(T5Config config) : base(nameof(T5LayerFF))
    {
        DenseReluDense = new T5FeedForward(config);
        layer_norm = new T5LayerNorm(config.DModel, config.LayerNormEpsilon);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden)
    {
        using var scope = torch.NewDisposeScope();
        var normed = layer_norm.forward(hidden);
        Tensor transformed;
        using (StepBreakdown.Time(StepBreakdown.FeedForward))
            transformed = DenseReluDense.forward(normed);
        return Residual.Add(transformed, hidden).MoveToOuterDisposeScope();
    }
}
