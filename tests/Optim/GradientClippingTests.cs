using Accept.Training.Optim;
using TorchSharp;
using static TorchSharp.torch;

namespace Accept.Tests.Optim;

[Trait("Category", "Fast")]
public class GradientClippingTests
{
    [Fact]
    public void ScalesToTheMaximumGlobalNorm()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 3 });
        var b = tensor(new float[] { 4 });
        Assert.Equal(5.0, GradientClipping.ClipGlobalNorm([a, b], 1.0), 6);
        Assert.Equal(0.6f, a.item<float>(), 5);
        Assert.Equal(0.8f, b.item<float>(), 5);
    }

    [Fact]
    public void LeavesSmallGradientsAloneAndZeroDisables()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 0.3f, 0.4f });
        Assert.Equal(0.5, GradientClipping.ClipGlobalNorm([a], 1.0), 6);
        Assert.Equal(new[] { 0.3f, 0.4f }, a.data<float>().ToArray());
        var big = tensor(new float[] { 30, 40 });
        GradientClipping.ClipGlobalNorm([big], 0);
        Assert.Equal(new[] { 30f, 40f }, big.data<float>().ToArray());
    }

    [Fact]
    public void AgreesWithTorchClipGradNorm()
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(3);
        var g1 = randn([5, 4], generator: gen) * 3;
        var g2 = randn([7], generator: gen) * 3;
        var p1 = new TorchSharp.Modules.Parameter(zeros(5, 4)) { grad = g1.clone() };
        var p2 = new TorchSharp.Modules.Parameter(zeros(7)) { grad = g2.clone() };
        var norm = torch.nn.utils.clip_grad_norm_([p1, p2], 2.0);
        Assert.Equal(norm, GradientClipping.ClipGlobalNorm([g1, g2], 2.0), 4);
        Assert.True(g1.allclose(p1.grad!, 1e-5, 1e-6));
        Assert.True(g2.allclose(p2.grad!, 1e-5, 1e-6));
    }

    [Fact]
    public void GuardSpotsNaNAndInfinity()
    {
        using var scope = NewDisposeScope();
        Assert.True(GradientGuard.AllFinite([tensor(new float[] { 1, 2 })]));
        Assert.False(GradientGuard.AllFinite([tensor(new float[] { 1 }), tensor(new float[] { float.NaN })]));
        Assert.False(GradientGuard.AllFinite([tensor(new float[] { float.NegativeInfinity })]));
    }
}
