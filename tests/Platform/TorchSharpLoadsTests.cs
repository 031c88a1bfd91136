using TorchSharp;

namespace Accept.Tests.Platform;

[Trait("Category", "Fast")]
public class TorchSharpLoadsTests
{
    [Fact]
    public void LibtorchRunsMatmulAndAutograd()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.tensor(new float[] { 1, 2, 3, 4 }, 2, 2).requires_grad_(true);
        var y = a.matmul(a).sum();
        y.backward();
        Assert.Equal(54f, y.item<float>());
        // d/dA sum(A·A) = 1·Aᵀ + Aᵀ·1 summed over rows/cols: [[7, 11], [9, 13]]
        Assert.Equal(new float[] { 7, 11, 9, 13 }, a.grad!.data<float>().ToArray());
    }
}
