using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Accept.Training.T5;

/// <summary>`DenseReluDense`: wo(relu(wi x)) in v1.0; wo(gelu_new(wi_0 x) · wi_1 x) in v1.1.</summary>
public sealed class T5FeedForward : nn.Module<Tensor, Tensor>
{
    private readonly Linear? wi;
    private readonly Linear? wi_0;
    private readonly Linear? wi_1;
    private readonly Linear wo;

    public T5FeedForward(T5Config config) : base("DenseReluDense")
    {
        if (config.IsGated)
        {
            wi_0 = nn.Linear(config.DModel, config.DFf, hasBias: false);
            wi_1 = nn.Linear(config.DModel, config.DFf, hasBias: false);
        }
        else
        {
            wi = nn.Linear(config.DModel, config.DFf, hasBias: false);
        }
        wo = nn.Linear(config.DFf, config.DModel, hasBias: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        // [B,T,d_ff]. relu in place on the fresh projection: relu's backward reads only its result.
        var hidden = wi is not null
            ? wi.forward(x).relu_()
            : nn.functional.gelu(wi_0!.forward(x), GELU.Approximate.tanh) * wi_1!.forward(x);
        return wo.forward(hidden).MoveToOuterDisposeScope();
    }
}
