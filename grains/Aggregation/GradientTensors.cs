using Accept.GrainInterfaces.Codebooks;
using Accept.Grains.Tensors;
using static TorchSharp.torch;

namespace Accept.Grains.Aggregation;

/// <summary>A validated push's gradients as CPU tensors for as long as the aggregation needs them (no dispose scope: a round keeps clones).</summary>
internal sealed class GradientTensors(GradientPush push) : IDisposable
{
    public Dictionary<string, Tensor> Tensors { get; } = push.Gradients.ToDictionary(g => g.Key, g => TensorPayloadConverter.ToTensor(g.Value, g.Key));

    public void Dispose()
    {
        foreach (var tensor in Tensors.Values)
        {
            tensor.Dispose();
        }
    }
}
