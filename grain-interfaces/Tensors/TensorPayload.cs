namespace Accept.GrainInterfaces.Tensors;

/// <summary>
/// A tensor on the wire: raw little-endian element bytes with their dtype and shape. Contracts carry no
/// TorchSharp, so grains convert with <c>Accept.Grains.Tensors.TensorPayloadConverter</c>.
/// </summary>
/// <param name="DType">Element type, as TorchSharp names it: "float32", "float16", "bfloat16", "float64".</param>
/// <param name="Shape">Dimensions; the product times the element size equals <see cref="Data"/>'s length.</param>
/// <param name="Data">Contiguous row-major element bytes.</param>
[GenerateSerializer, Immutable]
[Alias("accept.TensorPayload")]
public sealed record TensorPayload(
    [property: Id(0)] string DType,
    [property: Id(1)] long[] Shape,
    [property: Id(2)] byte[] Data);
