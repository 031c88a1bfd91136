using Accept.GrainInterfaces.Tensors;
using Accept.Grains.Tensors;
using static TorchSharp.torch;

namespace Accept.Tests.Grains.Tensors;

[Trait("Category", "Fast")]
public sealed class TensorPayloadConverterTests
{
    [Theory]
    [InlineData(ScalarType.Float32, "float32")]
    [InlineData(ScalarType.Float64, "float64")]
    [InlineData(ScalarType.BFloat16, "bfloat16")]
    [InlineData(ScalarType.Float16, "float16")]
    public void Tensors_round_trip_through_payloads(ScalarType type, string name)
    {
        using var scope = NewDisposeScope();
        var original = arange(0, 24, dtype: ScalarType.Float32).reshape(2, 3, 4).to_type(type) * 0.25;
        // A transposed view is not contiguous: the payload must still hold row-major elements.
        var view = original.transpose(0, 2);

        var payload = TensorPayloadConverter.ToPayload(view);
        var back = TensorPayloadConverter.ToTensor(payload);

        Assert.Equal(name, payload.DType);
        Assert.Equal([4L, 3, 2], payload.Shape);
        Assert.True(back.eq(view).all().item<bool>());
    }

    [Fact]
    public void A_payload_whose_bytes_do_not_match_its_shape_is_rejected_with_the_tensor_name()
    {
        var payload = new TensorPayload("float32", [2, 3], new byte[20]);

        var error = Assert.Throws<ArgumentException>(() => TensorPayloadConverter.ToTensor(payload, "scpp"));

        Assert.Contains("'scpp'", error.Message);
        Assert.Contains("24 bytes, got 20", error.Message);
    }

    [Fact]
    public void An_unknown_dtype_is_rejected() =>
        Assert.Contains("complex64", Assert.Throws<ArgumentException>(() => TensorPayloadConverter.Validate(new TensorPayload("complex64", [1], new byte[8]), "c")).Message);

    [Fact]
    public void Non_finite_elements_are_found_in_every_float_dtype()
    {
        using var scope = NewDisposeScope();
        foreach (var type in new[] { ScalarType.Float32, ScalarType.Float64, ScalarType.Float16, ScalarType.BFloat16 })
        {
            var clean = TensorPayloadConverter.ToPayload(ones(5, dtype: type));
            var nan = TensorPayloadConverter.ToPayload(tensor(new[] { 1f, float.NaN, 2f }).to_type(type));
            var inf = TensorPayloadConverter.ToPayload(tensor(new[] { 1f, 2f, float.NegativeInfinity }).to_type(type));

            Assert.True(TensorPayloadConverter.AllFinite(clean), type.ToString());
            Assert.False(TensorPayloadConverter.AllFinite(nan), type.ToString());
            Assert.False(TensorPayloadConverter.AllFinite(inf), type.ToString());
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(31)]
    [InlineData(99)]
    public void Long_payloads_are_checked_in_every_element_vector_body_and_tail(int at)
    {
        var floats = Enumerable.Range(0, 100).Select(i => i % 3 == 0 ? -0f : i % 3 == 1 ? float.MaxValue : -float.Epsilon).ToArray();
        var doubles = floats.Select(f => f == float.MaxValue ? double.MaxValue : (double)f).ToArray();
        Assert.True(TensorPayloadConverter.AllFinite(Payload(floats)));
        Assert.True(TensorPayloadConverter.AllFinite(Payload(doubles)));
        foreach (var bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            var f = (float[])floats.Clone();
            var d = (double[])doubles.Clone();
            f[at] = bad;
            d[at] = bad;
            Assert.False(TensorPayloadConverter.AllFinite(Payload(f)), $"float32 {bad} at {at}");
            Assert.False(TensorPayloadConverter.AllFinite(Payload(d)), $"float64 {bad} at {at}");
        }
    }

    private static TensorPayload Payload(float[] values) => new("float32", [values.Length], System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    private static TensorPayload Payload(double[] values) => new("float64", [values.Length], System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
}
