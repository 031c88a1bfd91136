using System.Text;
using Accept.Training.Checkpointing;
using static TorchSharp.torch;

namespace Accept.Tests.Checkpointing;

/// <summary>Checkpoint bytes go through the same header parse as safetensors files: what a file refuses, bytes refuse too, naming their source.</summary>
[Trait("Category", "Fast")]
public sealed class SafetensorsBytesTests
{
    [Fact]
    public void Encoded_tensors_and_metadata_decode_unchanged()
    {
        using var a = arange(6, dtype: ScalarType.Float32).reshape(2, 3);
        using var b = tensor(new long[] { 7 });
        var (tensors, metadata) = SafetensorsBytes.Decode(
            SafetensorsBytes.Encode(new Dictionary<string, Tensor> { ["a"] = a, ["b"] = b }, new Dictionary<string, string> { ["format"] = "x" }), "test");

        Assert.Equal("x", metadata["format"]);
        Assert.Equal([2L, 3L], tensors["a"].shape);
        Assert.Equal(a.data<float>().ToArray(), tensors["a"].data<float>().ToArray());
        Assert.Equal(7L, tensors["b"].item<long>());
        foreach (var t in tensors.Values) t.Dispose();
    }

    [Theory]
    [InlineData("""{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}""", 24,
        "tensor 'b' data_offsets [8, 24] overlap tensor 'a' [0, 16]")]
    [InlineData("""{"a":{"dtype":"F32","shape":[4294967296,4294967296,4],"data_offsets":[0,16]}}""", 16, "holds more bytes than a file can")]
    [InlineData("""{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", 4, "shape must hold non-negative integers")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8, "header JSON")]
    public void A_malformed_header_is_refused_naming_the_source(string header, int dataBytes, string problem)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var bytes = BitConverter.GetBytes((long)json.Length).Concat(json).Concat(new byte[dataBytes]).ToArray();

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsBytes.Decode(bytes, "job/task:parity 0007"));

        Assert.StartsWith("job/task:parity 0007: ", error.Message);
        Assert.Contains(problem, error.Message);
    }
}
