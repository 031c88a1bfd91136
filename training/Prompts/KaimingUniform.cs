using TorchSharp;
using static TorchSharp.torch;

namespace Accept.Training.Prompts;

/// <summary>
/// torch.nn.init.kaiming_uniform_ (fan-in, leaky-ReLU gain) drawn from an explicit generator, so every
/// task and codebook group gets reproducible values from its own seed.
/// </summary>
public static class KaimingUniform
{
    /// <summary>A tensor of <paramref name="shape"/> ~ U(−b, b), b = √(2/(1+a²))·√(3/fan_in), fan_in = shape[1]·Π shape[2..].</summary>
    public static Tensor Sample(long[] shape, double a, Generator generator, ScalarType dtype = ScalarType.Float32)
    {
        if (shape.Length < 2) throw new ArgumentException("kaiming-uniform needs a tensor of at least 2 dimensions");
        long fanIn = shape.Skip(1).Aggregate(1L, (x, y) => x * y);
        double gain = Math.Sqrt(2.0 / (1 + a * a));
        double bound = gain * Math.Sqrt(3.0 / fanIn);
        using var u = rand(shape, dtype: ScalarType.Float64, generator: generator);
        // Explicit Scalars held across the calls (see T5RelativePositionBias.Bucket).
        using var width = (2 * bound).ToScalar();
        using var offset = bound.ToScalar();
        return u.mul(width).sub_(offset).to(dtype);
    }
}
