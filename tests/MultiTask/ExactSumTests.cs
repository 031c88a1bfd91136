using Accept.Training.MultiTask;

namespace Accept.Tests.MultiTask;

[Trait("Category", "Fast")]
public sealed class ExactSumTests
{
    /// <summary>Vectors whose elements span 2^-40 to 2^40 (a float32 sum of them depends on the order).</summary>
    private static float[][] Vectors(int count, int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, length)
            .Select(_ => (float)((random.NextDouble() - 0.5) * Math.Pow(2, random.Next(-40, 40)))).ToArray()).ToArray();
    }

    private static float[] SumOf(IEnumerable<float[]> vectors, int length)
    {
        var sum = new ExactSum(length);
        foreach (var v in vectors) sum.Add(v);
        return sum.ToFloat32();
    }

    [Fact]
    public void The_sum_is_the_same_in_any_order_and_any_grouping()
    {
        const int length = 37; // not a multiple of the vector width: the scalar tail runs too
        var vectors = Vectors(50, length, 3);
        var inOrder = SumOf(vectors, length);
        Assert.Equal(inOrder, SumOf(vectors.Reverse(), length));
        Assert.Equal(inOrder, SumOf(vectors.OrderBy(v => v[0]), length));

        // Partial sums per "silo" (as float64, exact), then summed by the "group".
        var total = new ExactSum(length);
        foreach (var part in vectors.Chunk(7))
        {
            var partial = new ExactSum(length);
            foreach (var v in part) partial.Add(v);
            total.Add(partial);
        }
        Assert.Equal(inOrder, total.ToFloat32());

        // Float32 sums of the same vectors do depend on the order.
        float Forward(int i) => vectors.Aggregate(0f, (s, v) => s + v[i]);
        float Backward(int i) => vectors.Reverse().Aggregate(0f, (s, v) => s + v[i]);
        Assert.Contains(Enumerable.Range(0, length), i => Forward(i) != Backward(i));
    }

    [Fact]
    public void Values_too_far_apart_for_a_double_stay_exact()
    {
        var sum = new ExactSum(2);
        sum.Add([1e30f, 1f]);
        sum.Add([1e-30f, 1e-30f]);
        Assert.False(sum.FitsDoubles);

        // What a silo sends: heads and parts; the group's copy holds the same exact sums.
        var (heads, indices, parts) = sum.Split();
        Assert.Equal([0, 1], indices.Order());
        var copy = new ExactSum(2);
        copy.Add(heads);
        copy.AddParts(indices, parts);
        copy.Add([-1e30f, -1f]);
        sum.Add([-1e30f, -1f]);
        Assert.Equal([1e-30f, 1e-30f], sum.ToFloat32());
        Assert.Equal([1e-30f, 1e-30f], copy.ToFloat32());
    }

    [Fact]
    public void Rounding_to_float32_is_correct_rounding_of_the_exact_sum()
    {
        // 1 + 2^-24 is a tie between two float32 values; the 2^-100 beyond it decides: round up.
        var sum = new ExactSum(1);
        sum.Add([1f]);
        sum.Add([MathF.ScaleB(1f, -24)]);
        sum.Add([MathF.ScaleB(1f, -100)]);
        Assert.Equal(1f + MathF.ScaleB(1f, -23), sum.ToFloat32()[0]);

        var tie = new ExactSum(1);
        tie.Add([1f]);
        tie.Add([MathF.ScaleB(1f, -24)]);
        Assert.Equal(1f, tie.ToFloat32()[0]); // an exact tie rounds to even
    }

    [Fact]
    public void Mean_divides_the_rounded_sum_by_the_count()
    {
        var sum = new ExactSum(3);
        sum.Add([1f, 2f, 1e8f]);
        sum.Add([3f, 6f, 1f]);
        sum.Add([2f, 4f, -1e8f]);
        using var mean = sum.Mean(3, [3]);
        Assert.Equal([2f, 4f, 1f / 3], mean.data<float>().ToArray());
    }

    [Fact]
    public void A_non_finite_value_or_a_wrong_length_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new ExactSum(1).Add([float.NaN]));
        Assert.Contains("part index 3", Assert.Throws<ArgumentException>(() => new ExactSum(3).AddParts([3], [1.0])).Message);
        Assert.Contains("2 values for a sum of 3", Assert.Throws<ArgumentException>(() => new ExactSum(3).Add([1f, 2f])).Message);
    }
}
