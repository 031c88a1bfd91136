using Accept.Training.Data;
using Accept.Training.Engine;
using Accept.Training.Optim;
using Accept.Training.Prompts;
using Accept.Training.T5;
using TorchSharp;
using static TorchSharp.torch;

namespace Accept.Tests.Engine;

[Trait("Category", "Fast")]
public class TaskStepperTests
{
    private static readonly WordTokenizer Tokenizer = new("a b c d e f g h yes no maybe".Split(' '));

    private static readonly T5Config Tiny = new()
    {
        VocabSize = 32, DModel = 16, DKv = 4, DFf = 32, NumHeads = 2, NumLayers = 1, NumDecoderLayers = 1,
    };

    private static PromptLayout Layout(AddedKind added) => new PromptLayout { DModel = 16, PromptLength = 3, MaxLength = 6, ScppSubDim = 4, ScppCodebookSize = 3, Added = added, AddedSubDim = 8, AddedCodebookSize = 2, AddedRank = 2, AddedAlpha = 8 }.Validated();

    private static CodebookGroupOptions Options(bool frozen = false) =>
        new(new LinearSchedule(0.3, 0, 1000), new LinearSchedule(0.01, 0, 1000), 1.0, null, frozen);

    private static TaskBatch Batch(params (string, string)[] examples) =>
        new Batcher(Tokenizer, 6, 6, 4).Build(examples.Select(e => new Example(e.Item1, e.Item2)).ToList());

    [Fact]
    public void RepeatedStepsLowerTheLoss()
    {
        using var scope = NewDisposeScope();
        using var backbone = T5Model.CreateRandom(Tiny, 1);
        using var group = new CodebookGroup("g", Layout(AddedKind.Scap), Options(), 1);
        using var adapter = new TaskAdapter("t", Layout(AddedKind.Scap), 1);
        using var batch = Batch(("a b c", "yes"), ("d e", "no"), ("f g h", "maybe"));
        float first = 0, last = 0;
        for (int i = 0; i < 30; i++)
        {
            using var outcome = TaskStepper.Step(backbone, adapter, group.Codebooks, batch, 0.3f, 0.01f);
            Assert.False(outcome.Skipped);
            Assert.Equal(batch.Tokens, outcome.Tokens);
            group.Apply(outcome.CodebookGradients);
            if (i == 0) first = outcome.Loss;
            last = outcome.Loss;
        }
        Assert.True(last < first * 0.95, $"loss {first} → {last}");
        Assert.Equal(30, group.Version);
        Assert.Equal(30, adapter.Steps);
    }

    [Fact]
    public void StepLeavesCodebooksAloneAndReturnsDetachedGradients()
    {
        using var scope = NewDisposeScope();
        using var backbone = T5Model.CreateRandom(Tiny, 2);
        using var group = new CodebookGroup("g", Layout(AddedKind.Scap), Options(), 2);
        using var adapter = new TaskAdapter("t", Layout(AddedKind.Scap), 2);
        using var batch = Batch(("a b", "yes"));
        var codebooksBefore = group.Snapshot();
        var weightsBefore = adapter.StateDict();
        using var outcome = TaskStepper.Step(backbone, adapter, group.Codebooks, batch, 0.3f, 0.01f);
        Assert.Equal(group.Codebooks.Keys.Order(), outcome.CodebookGradients.Keys.Order());
        foreach (var (name, grad) in outcome.CodebookGradients)
        {
            Assert.True(group.Codebooks[name].equal(codebooksBefore[name]).all().item<bool>(), name);
            Assert.Equal(group.Codebooks[name].shape, grad.shape);
            Assert.False(grad.requires_grad);
            Assert.True(grad.is_contiguous());
            Assert.True(grad.abs().sum().item<float>() > 0, name);
            Assert.Null(group.Codebooks[name].grad);
        }
        foreach (var (name, w) in adapter.Weights)
            if (name != PromptTensorNames.DeptB)
                Assert.False(w.equal(weightsBefore[name]).all().item<bool>(), name);
    }

    [Fact]
    public void MeanOfTaskGradientsIsTheGradientOfTheMeanLoss()
    {
        using var scope = NewDisposeScope();
        var layout = Layout(AddedKind.Scap);
        using var backbone = T5Model.CreateRandom(Tiny, 3);
        using var group = new CodebookGroup("g", layout, Options(), 3);
        using var rte = new TaskAdapter("rte", layout, 3);
        using var mrpc = new TaskAdapter("mrpc", layout, 3);
        using var b1 = Batch(("a b c", "yes"), ("d", "no"));
        using var b2 = Batch(("e f g h", "maybe"), ("a", "yes"), ("b c", "no"));

        // Joint: one graph over both tasks, gradient of (L_rte + L_mrpc)/2 with respect to the shared codebooks.
        var leaves = group.Codebooks.ToDictionary(c => c.Key, c => c.Value.detach().clone().requires_grad_(true));
        Tensor LossOf(TaskAdapter a, TaskBatch b)
        {
            var (embeddings, mask) = EncoderInputs.Build(backbone, a, leaves, b);
            var decoderInputs = T5Model.ShiftRight(b.Labels, 0, 0);
            return T5Model.Loss(backbone.forward(embeddings, mask, decoderInputs), b.Labels);
        }
        var names = leaves.Keys.ToList();
        var joint = torch.autograd.grad([(LossOf(rte, b1) + LossOf(mrpc, b2)) / 2], names.Select(n => leaves[n]).ToList());

        using var o1 = TaskStepper.Step(backbone, rte, group.Codebooks, b1, 0.3f, 0.01f);
        using var o2 = TaskStepper.Step(backbone, mrpc, group.Codebooks, b2, 0.3f, 0.01f);
        var mean = CodebookGroup.Mean([o1.CodebookGradients, o2.CodebookGradients]);
        for (int i = 0; i < names.Count; i++)
            Assert.True(mean[names[i]].allclose(joint[i], rtol: 1e-4, atol: 1e-7),
                $"{names[i]}: max |Δ| {(mean[names[i]] - joint[i]).abs().max().item<float>()}");
        Assert.False(o1.CodebookGradients[names[0]].allclose(o2.CodebookGradients[names[0]]));
    }

    [Fact]
    public void CodebookGradientMatchesAFiniteDifferenceThroughTheBackbone()
    {
        using var scope = NewDisposeScope();
        var layout = Layout(AddedKind.Scap);
        using var backbone = T5Model.CreateRandom(Tiny, 4);
        using var group = new CodebookGroup("g", layout, Options(), 4);
        using var adapter = new TaskAdapter("t", layout, 4);
        using var batch = Batch(("a b c", "yes"), ("g h", "no"));
        // A seeded direction: the global generator's state depends on which tests ran before.
        using var generator = new Generator(17);
        var direction = group.Codebooks.ToDictionary(c => c.Key, c => randn(c.Value.shape, generator: generator));
        float Shifted(double eps) => TaskStepper.Loss(backbone, adapter,
            group.Codebooks.ToDictionary(c => c.Key, c => c.Value.detach() + direction[c.Key] * eps), batch);
        const double h = 1e-3;
        double numeric = (Shifted(h) - Shifted(-h)) / (2 * h);
        using var outcome = TaskStepper.Step(backbone, adapter, group.Codebooks, batch, 0, 0);
        double analytic = outcome.CodebookGradients.Sum(g => (g.Value * direction[g.Key]).sum().item<float>());
        // Float32 central differences through layer norms and softmax: agreement to about 1% is what the precision allows.
        Assert.True(Math.Abs(numeric - analytic) <= 0.01 * Math.Abs(analytic) + 1e-4, $"numeric {numeric}, analytic {analytic}");
    }

    [Fact]
    public void FrozenCodebooksTrainOnlyTheTaskWeights()
    {
        using var scope = NewDisposeScope();
        var layout = Layout(AddedKind.Dept);
        using var backbone = T5Model.CreateRandom(Tiny, 5);
        using var source = new CodebookGroup("source", layout, Options(), 5);
        using var group = new CodebookGroup("frozen", layout, Options(frozen: true), 6);
        group.InitialiseFrom(source.Snapshot());
        using var adapter = new TaskAdapter("new-task", layout, 5);
        using var batch = Batch(("a b", "yes"), ("c", "no"));
        var before = group.Snapshot();
        var w = adapter.Weights[PromptTensorNames.ScppWeights].clone();
        for (int i = 0; i < 3; i++)
        {
            using var outcome = TaskStepper.Step(backbone, adapter, group.Codebooks, batch, 0.3f, 0.01f, computeCodebookGradients: !group.Frozen);
            Assert.Empty(outcome.CodebookGradients);
            Assert.False(outcome.Skipped);
        }
        Assert.True(group.Codebooks[PromptTensorNames.ScppCodebook].equal(before[PromptTensorNames.ScppCodebook]).all().item<bool>());
        Assert.True(group.Codebooks[PromptTensorNames.ScppCodebook].equal(source.Codebooks[PromptTensorNames.ScppCodebook]).all().item<bool>());
        Assert.False(adapter.Weights[PromptTensorNames.ScppWeights].equal(w).all().item<bool>());
        Assert.Equal(0, group.Version);
    }

    [Fact]
    public void NonFiniteCodebookSkipsTheStep()
    {
        using var scope = NewDisposeScope();
        var layout = Layout(AddedKind.None);
        using var backbone = T5Model.CreateRandom(Tiny, 6);
        using var group = new CodebookGroup("g", layout, Options(), 6);
        using var adapter = new TaskAdapter("t", layout, 6);
        using var batch = Batch(("a", "yes"));
        var poisoned = group.Snapshot();
        poisoned[PromptTensorNames.ScppCodebook][0, 0, 0] = float.NaN;
        var before = adapter.StateDict();
        using var outcome = TaskStepper.Step(backbone, adapter, poisoned, batch, 0.3f, 0.01f);
        Assert.True(outcome.Skipped);
        Assert.Empty(outcome.CodebookGradients);
        Assert.Equal(1, adapter.SkippedSteps);
        Assert.Equal(0, adapter.Steps);
        Assert.True(adapter.Weights[PromptTensorNames.ScppWeights].equal(before[PromptTensorNames.ScppWeights]).all().item<bool>());
    }

    [Fact]
    public void WrongInputLengthAndWidthAreReported()
    {
        using var scope = NewDisposeScope();
        var layout = Layout(AddedKind.None);
        using var backbone = T5Model.CreateRandom(Tiny, 7);
        using var group = new CodebookGroup("g", layout, Options(), 7);
        using var adapter = new TaskAdapter("t", layout, 7);
        using var shortBatch = new Batcher(Tokenizer, 5, 5, 3).Build([new Example("a", "yes")]);
        var e = Assert.Throws<ArgumentException>(() => TaskStepper.Step(backbone, adapter, group.Codebooks, shortBatch, 0.1f, 0.1f));
        Assert.Contains("length 5, expected exactly l = 6", e.Message);

        var wide = new PromptLayout { DModel = 32, PromptLength = 3, MaxLength = 6, ScppSubDim = 4, ScppCodebookSize = 3 }.Validated();
        using var wideGroup = new CodebookGroup("w", wide, Options(), 7);
        using var wideAdapter = new TaskAdapter("t", wide, 7);
        using var batch = Batch(("a", "yes"));
        e = Assert.Throws<ArgumentException>(() => TaskStepper.Step(backbone, wideAdapter, wideGroup.Codebooks, batch, 0.1f, 0.1f));
        Assert.Contains("prompts are for d_model 32, the backbone has 16", e.Message);
    }

    [Fact]
    public void GenerateDecodesWithThePrompts()
    {
        using var scope = NewDisposeScope();
        var layout = Layout(AddedKind.Dept);
        using var backbone = T5Model.CreateRandom(Tiny, 8);
        using var group = new CodebookGroup("g", layout, Options(), 8);
        using var adapter = new TaskAdapter("t", layout, 8);
        using var batch = Batch(("a b", "yes"), ("c", "no"));
        var rows = TaskStepper.Generate(backbone, adapter, group.Codebooks, batch, 5);
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.True(r.Length <= 5 && r.All(id => id >= 0 && id < Tiny.VocabSize && id != Tiny.EosTokenId)));
    }
}
