using Accept.Training.Prompts;
using TorchSharp;
using static TorchSharp.torch;

namespace Accept.Tests.Prompts;

[Trait("Category", "Fast")]
public class SubspaceCompositionTests
{
    [Fact]
    public void ComposesEachSubspaceFromItsOwnCodewords()
    {
        using var scope = NewDisposeScope();
        // n = 2 tokens, K = 2 subspaces, r = 2 codewords, t = 3.
        var c = tensor(new float[]
        {
            1, 0, 0,   0, 1, 0,     // subspace 0: codewords c00, c01
            1, 1, 1,   2, 0, -1,    // subspace 1: codewords c10, c11
        }, [2, 2, 3]);
        var w = tensor(new float[]
        {
            2, 3,    0.5f, -1,      // token 0: subspace 0 weights, subspace 1 weights
            -1, 0,   0, 4,          // token 1
        }, [2, 2, 2]);
        var p = SubspaceComposition.Compose(w, c);
        // token 0: [2·c00 + 3·c01 ; 0.5·c10 − c11] = [2, 3, 0 ; −1.5, 0.5, 1.5]
        // token 1: [−c00 ; 4·c11] = [−1, 0, 0 ; 8, 0, −4]
        Assert.Equal(new long[] { 2, 6 }, p.shape);
        Assert.Equal(new float[] { 2, 3, 0, -1.5f, 0.5f, 1.5f, -1, 0, 0, 8, 0, -4 }, p.data<float>().ToArray());
    }

    [Fact]
    public void RejectsMismatchedShapes()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(() => SubspaceComposition.Compose(zeros(2, 3, 4), zeros(3, 5, 2)));
        Assert.Contains("[2,3,4]", e.Message);
    }

    [Fact]
    public void ScppAndScapGradientsMatchFiniteDifferencesInDoublePrecision()
    {
        using var scope = NewDisposeScope();
        var layout = new PromptLayout { DModel = 12, PromptLength = 3, MaxLength = 4, ScppSubDim = 4, ScppCodebookSize = 2, Added = AddedKind.Scap, AddedSubDim = 6, AddedCodebookSize = 3 }.Validated();
        using var group = new CodebookGroup("g", layout, Options(), seed: 1, ScalarType.Float64);
        using var adapter = new TaskAdapter("t", layout, seed: 1, dtype: ScalarType.Float64);
        var gen = new Generator(5);
        var rp = randn([3, 12], ScalarType.Float64, generator: gen);
        var ra = randn([4, 12], ScalarType.Float64, generator: gen);
        var codebooks = group.Codebooks.ToDictionary(c => c.Key, c => c.Value.detach().clone().requires_grad_(true));
        // A non-linear scalar of P and ΔE, so the check sees products of W and C, not just sums.
        Tensor LossOf() => (adapter.BuildPrepended(codebooks).tanh() * rp).sum() + (adapter.BuildAdded(codebooks)!.sin() * ra).sum();

        var targets = adapter.Weights.Values.Concat(codebooks.Values).ToList();
        var analytic = torch.autograd.grad([LossOf()], targets);
        for (int i = 0; i < targets.Count; i++)
        {
            var flat = targets[i].detach().view(-1);
            var numeric = new double[flat.shape[0]];
            for (long j = 0; j < flat.shape[0]; j++)
            {
                const double h = 1e-6;
                double x = flat[j].item<double>();
                using (no_grad()) flat[j] = x + h;
                double up = LossOf().item<double>();
                using (no_grad()) flat[j] = x - h;
                double down = LossOf().item<double>();
                using (no_grad()) flat[j] = x;
                numeric[j] = (up - down) / (2 * h);
            }
            var expected = tensor(numeric, ScalarType.Float64);
            Assert.True(analytic[i].reshape(-1).allclose(expected, rtol: 1e-6, atol: 1e-8),
                $"tensor {i}: max |Δ| = {(analytic[i].reshape(-1) - expected).abs().max().item<double>()}");
        }
    }

    internal static CodebookGroupOptions Options(bool frozen = false) =>
        new(new Accept.Training.Optim.LinearSchedule(0.3, 0, 100), new Accept.Training.Optim.LinearSchedule(0.01, 0, 100), 1.0, null, frozen);
}
