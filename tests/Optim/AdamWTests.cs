using Accept.Training.Optim;
using TorchSharp;
using static TorchSharp.torch;

namespace Accept.Tests.Optim;

[Trait("Category", "Fast")]
public class AdamWTests
{
    private static Dictionary<string, Tensor> Named(params (string, Tensor)[] items) => items.ToDictionary(x => x.Item1, x => x.Item2);

    [Fact]
    public void FirstTwoStepsMatchHandComputedValues()
    {
        using var scope = NewDisposeScope();
        var p = tensor(new double[] { 1.0, -2.0 });
        using var adam = new AdamW(Named(("p", p)));
        // Step 1, g = (0.5, -1): m = 0.1·g, v = 0.001·g², m̂ = g, v̂ = g² → Δ = −lr·g/(|g| + 1e-6).
        adam.Apply(Named(("p", tensor(new double[] { 0.5, -1.0 }))), _ => 0.1);
        Assert.Equal(1.0 - 0.1 * 0.5 / (0.5 + 1e-6), p[0].item<double>(), 12);
        Assert.Equal(-2.0 + 0.1 * 1.0 / (1.0 + 1e-6), p[1].item<double>(), 12);
        // Step 2, g = (0.25, 0): m = 0.9·0.05 + 0.1·0.25 = 0.07, v = 0.999·0.00025 + 0.001·0.0625.
        double before = p[0].item<double>();
        adam.Apply(Named(("p", tensor(new double[] { 0.25, 0.0 }))), _ => 0.1);
        double m = 0.07, v = 0.999 * 0.00025 + 0.001 * 0.0625;
        double mhat = m / (1 - 0.9 * 0.9), denom = Math.Sqrt(v) / Math.Sqrt(1 - 0.999 * 0.999) + 1e-6;
        Assert.Equal(before - 0.1 * mhat / denom, p[0].item<double>(), 12);
        Assert.Equal(2, adam.Step);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.01)]
    public void MatchesTorchOptimAdamWOnTheSameGradients(double weightDecay)
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(7);
        var init = randn([4, 3], generator: gen);
        var ours = init.clone();
        var theirs = new TorchSharp.Modules.Parameter(init.clone());
        using var adam = new AdamW(Named(("w", ours)), new AdamWOptions(WeightDecay: weightDecay));
        var reference = torch.optim.AdamW([theirs], lr: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-6, weight_decay: weightDecay);
        for (int step = 0; step < 6; step++)
        {
            var g = randn([4, 3], generator: gen);
            adam.Apply(Named(("w", g)), _ => 0.05);
            reference.zero_grad();
            theirs.grad = g.clone();
            reference.step();
        }
        Assert.True(ours.allclose(theirs.detach(), rtol: 1e-5, atol: 1e-6), $"max diff {(ours - theirs).abs().max().item<float>()}");
    }

    [Fact]
    public void NonFiniteGradientSkipsTheStepAndCountsIt()
    {
        using var scope = NewDisposeScope();
        var p = tensor(new float[] { 1, 2 });
        using var adam = new AdamW(Named(("p", p)));
        Assert.False(adam.Apply(Named(("p", tensor(new float[] { float.NaN, 1 }))), _ => 0.1));
        Assert.False(adam.Apply(Named(("p", tensor(new float[] { 1, float.PositiveInfinity }))), _ => 0.1));
        Assert.Equal(new float[] { 1, 2 }, p.data<float>().ToArray());
        Assert.Equal(2, adam.SkippedSteps);
        Assert.Equal(0, adam.Step);
        Assert.Equal(0f, adam.StateDict()["p.exp_avg"].abs().sum().item<float>());
    }

    [Fact]
    public void StateDictRoundTripContinuesIdentically()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 0.3f, -0.7f });
        var b = a.clone();
        using var first = new AdamW(Named(("x", a)));
        first.Apply(Named(("x", tensor(new float[] { 0.2f, 0.4f }))), _ => 0.01);
        b.copy_(a);
        using var second = new AdamW(Named(("x", b)));
        second.LoadStateDict(first.StateDict());
        Assert.Equal(1, second.Step);
        var g = tensor(new float[] { -0.1f, 0.9f });
        first.Apply(Named(("x", g)), _ => 0.01);
        second.Apply(Named(("x", g)), _ => 0.01);
        Assert.Equal(a.data<float>().ToArray(), b.data<float>().ToArray());
    }

    [Fact]
    public void RejectsUnknownNamesAndWrongShapes()
    {
        using var scope = NewDisposeScope();
        using var adam = new AdamW(Named(("p", zeros(2))));
        Assert.Contains("'q'", Assert.Throws<ArgumentException>(() => adam.Apply(Named(("q", zeros(2))), _ => 0.1)).Message);
        Assert.Contains("[3]", Assert.Throws<ArgumentException>(() => adam.Apply(Named(("p", zeros(3))), _ => 0.1)).Message);
    }
}
