using Accept.Grains.Tensors;
using Accept.Tests.MultiTask;
using Accept.Training.MultiTask;
using Accept.Training.Prompts;
using Accept.Training.Runs;
using Accept.Training.T5;
using TorchSharp;
using static TorchSharp.torch;

namespace Accept.Tests.Devices;

/// <summary>
/// The device path off the CPU without a GPU: libtorch's meta device holds shapes and no data, so moving
/// to it shows that every tensor a component owns really moves (on the CPU a move is a no-op and proves
/// nothing), while anything that reads values would fail loudly.
/// </summary>
[Trait("Category", "Fast")]
public sealed class DevicePlacementTests
{
    private static readonly Device Meta = new(DeviceType.META);
    private static readonly PromptLayout Layout = new PromptLayout { DModel = 16, PromptLength = 3, MaxLength = 5, ScppSubDim = 4, ScppCodebookSize = 2, Added = AddedKind.Scap, AddedSubDim = 4, AddedCodebookSize = 2, AddedAlpha = 8 }.Validated();

    [Fact]
    public void A_task_adapter_on_a_device_keeps_its_weights_and_optimizer_state_there()
    {
        using var scope = NewDisposeScope();
        using var adapter = new TaskAdapter("t", Layout, 1, device: Meta);

        Assert.NotEmpty(adapter.Weights);
        Assert.All(adapter.Weights, w => Assert.Equal(DeviceType.META, w.Value.device_type));
        // AdamW moments are created from the weights after the move, so they follow them.
        Assert.All(adapter.StateDict().Where(t => t.Key.EndsWith(".exp_avg", StringComparison.Ordinal)),
            t => Assert.Equal(DeviceType.META, t.Value.device_type));
        Assert.All(adapter.Prepended.parameters().Concat(adapter.Added!.parameters()), p => Assert.Equal(DeviceType.META, p.device_type));
    }

    [Fact]
    public void A_codebook_group_on_a_device_keeps_its_codebooks_there()
    {
        using var scope = NewDisposeScope();
        using var group = new CodebookGroup("g", Layout, Accept.Tests.Prompts.SubspaceCompositionTests.Options(), 1, device: Meta);

        Assert.Equal([PromptTensorNames.ScapCodebook, PromptTensorNames.ScppCodebook], group.Codebooks.Keys.Order());
        Assert.All(group.Codebooks, c => Assert.Equal(DeviceType.META, c.Value.device_type));
    }

    [Fact]
    public void A_payload_materialises_on_the_device_asked_for()
    {
        using var scope = NewDisposeScope();
        var payload = TensorPayloadConverter.ToPayload(arange(0, 12, dtype: ScalarType.Float32).reshape(3, 4));

        var onMeta = TensorPayloadConverter.ToTensor(payload, "scpp.codebook", Meta);

        Assert.Equal(DeviceType.META, onMeta.device_type);
        Assert.Equal([3L, 4], onMeta.shape);
        Assert.Equal(ScalarType.Float32, onMeta.dtype);
    }

    [Fact]
    public void A_payload_round_trips_from_a_tensor_on_the_cpu_device()
    {
        using var scope = NewDisposeScope();
        var original = (arange(0, 24, dtype: ScalarType.Float32).reshape(2, 3, 4) * 0.5f).to(CPU);

        var payload = TensorPayloadConverter.ToPayload(original.transpose(0, 1));
        var back = TensorPayloadConverter.ToTensor(payload, "g", CPU);

        Assert.Equal([3L, 2, 4], payload.Shape);
        Assert.Equal(DeviceType.CPU, back.device_type);
        Assert.True(back.equal(original.transpose(0, 1)).all().item<bool>());
    }

    [Fact]
    public void Task_sessions_and_the_trainer_take_the_device_and_refuse_a_backbone_elsewhere()
    {
        using var scope = NewDisposeScope();
        using var tiny = new TinyRun();
        var context = tiny.Context();
        using var session = TaskSession.Create(context, "mood", Meta);
        Assert.Equal(DeviceType.META, session.Device!.type);
        Assert.All(session.Adapter.Weights, w => Assert.Equal(DeviceType.META, w.Value.device_type));

        using var backbone = T5Model.Load(tiny.Backbone, Meta);
        Assert.Equal(DeviceType.META, backbone.Device.type);
        Assert.All(backbone.parameters(), p => Assert.Equal(DeviceType.META, p.device_type));
        Assert.All(backbone.parameters(), p => Assert.False(p.requires_grad));
        using var run = RunDirectory.Create(Path.Combine(tiny.Root, "runs"), "meta");

        var error = Assert.Throws<ArgumentException>(() => MultiTaskTrainer.Start(context, backbone, run, device: CPU));

        Assert.Contains("the backbone is on meta but the run trains on cpu", error.Message);
    }
}
