using System.Numerics;
using System.Runtime.CompilerServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Accept.Training.MultiTask;

/// <summary>
/// The exact sum of many vectors of one length (float32 gradients, or float64 partial sums of them), rounded
/// once at the end: the result does not depend on the order of the additions or on how they were grouped, so
/// a codebook group's mean is bit-identical whether its tasks' gradients are summed one by one in the
/// in-process trainer, one push at a time by the codebook grain, or first per silo (hierarchical aggregation)
/// and then per group.
/// <para>
/// Each element is a double while its exact sum fits one (checked per addition with the error-free TwoSum: the
/// error is zero exactly when the double sum is exact; vectorised). The rare element whose exact sum needs
/// more than 53 bits (values more than ~2^29 apart, or an overflow) moves to a <see cref="BigInteger"/> count of
/// 2^-1074 units, where it stays exact. Rounding to float32 is correct rounding of the exact value (via
/// round-to-odd at 53 bits).
/// </para>
/// </summary>
public sealed class ExactSum
{
    private readonly double[] _sum;
    private Dictionary<int, BigInteger>? _wide; // element → exact sum in units of 2^-1074; its _sum slot holds NaN

    public ExactSum(int length) => _sum = new double[length];

    public int Length => _sum.Length;

    /// <summary>True while every element's exact sum is one double (<see cref="Split"/> then has no parts).</summary>
    public bool FitsDoubles => _wide is null;

    /// <summary>
    /// The exact sums as doubles that another <see cref="ExactSum"/> can add without loss: element i's exact sum is
    /// Heads[i] plus the Parts whose PartIndices entry is i (only for the rare element one double cannot hold).
    /// </summary>
    public (double[] Heads, int[] PartIndices, double[] Parts) Split()
    {
        var heads = (double[])_sum.Clone();
        var indices = new List<int>();
        var parts = new List<double>();
        foreach (var (i, units) in _wide ?? [])
        {
            var rest = units;
            heads[i] = TakeTop(ref rest);
            while (!rest.IsZero)
            {
                indices.Add(i);
                parts.Add(TakeTop(ref rest));
            }
        }
        return (heads, indices.ToArray(), parts.ToArray());
    }

    /// <summary>Adds another exact sum of the same length, without loss.</summary>
    public void Add(ExactSum other)
    {
        var (heads, indices, parts) = other.Split();
        Add(heads);
        AddParts(indices, parts);
    }

    /// <summary>Adds single parts (<see cref="Split"/>'s): <paramref name="values"/>[k] to element <paramref name="indices"/>[k].</summary>
    public void AddParts(ReadOnlySpan<int> indices, ReadOnlySpan<double> values)
    {
        if (indices.Length != values.Length)
        {
            throw new ArgumentException($"ExactSum: {indices.Length} indices for {values.Length} parts");
        }
        for (var k = 0; k < indices.Length; k++)
        {
            if ((uint)indices[k] >= (uint)_sum.Length)
            {
                throw new ArgumentException($"ExactSum: part index {indices[k]} is outside 0..{_sum.Length - 1}");
            }
            AddOne(indices[k], values[k]);
        }
    }

    /// <summary>Adds finite float32 values (a non-finite value throws).</summary>
    /// <remarks>Hot (every gradient of every task, per round): compiled optimised at once rather than through tier-0
    /// code, where the vector helpers run as calls; a short run otherwise spends most of its sums in unoptimised code.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(ReadOnlySpan<float> values)
    {
        CheckLength(values.Length);
        var sum = _sum.AsSpan();
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var w = Vector<double>.Count;
            for (; i + Vector<float>.Count <= values.Length; i += Vector<float>.Count)
            {
                Vector.Widen(new Vector<float>(values[i..]), out var low, out var high);
                AddVector(sum, i, low);
                AddVector(sum, i + w, high);
            }
        }
        for (; i < values.Length; i++)
        {
            AddOne(i, values[i]);
        }
    }

    /// <summary>Adds finite float64 values (a non-finite value throws).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(ReadOnlySpan<double> values)
    {
        CheckLength(values.Length);
        var sum = _sum.AsSpan();
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i + Vector<double>.Count <= values.Length; i += Vector<double>.Count)
            {
                AddVector(sum, i, new Vector<double>(values[i..]));
            }
        }
        for (; i < values.Length; i++)
        {
            AddOne(i, values[i]);
        }
    }

    /// <summary>Adds a tensor's elements (any floating dtype; copied to the CPU).</summary>
    public void Add(Tensor values)
    {
        using var scope = NewDisposeScope();
        var flat = values.detach().cpu().contiguous();
        if (flat.dtype == ScalarType.Float32)
        {
            Add(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(flat.bytes));
        }
        else
        {
            Add(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(flat.to(ScalarType.Float64).bytes));
        }
    }

    /// <summary>Each element's exact sum, correctly rounded to float32.</summary>
    public float[] ToFloat32()
    {
        var result = new float[_sum.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = _wide is not null && _wide.TryGetValue(i, out var units) ? RoundToFloat(units) : (float)_sum[i];
        }
        return result;
    }

    /// <summary>The mean over <paramref name="count"/> contributions: the rounded sum ÷ count in float32, shaped as <paramref name="shape"/>; the caller disposes it.</summary>
    public Tensor Mean(int count, long[] shape)
    {
        using var scope = NewDisposeScope();
        using var divisor = ((double)count).ToScalar();
        return tensor(ToFloat32(), shape).div_(divisor).MoveToOuterDisposeScope();
    }

    private void CheckLength(int length)
    {
        if (length != _sum.Length)
        {
            throw new ArgumentException($"ExactSum: {length} values for a sum of {_sum.Length}");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private void AddVector(Span<double> sum, int at, Vector<double> b)
    {
        var a = new Vector<double>(sum[at..]);
        var s = a + b;
        var bb = s - a;
        var error = (a - (s - bb)) + (b - bb);
        // Zero error in every lane: every lane's double sum is exact (NaN — a wide slot or an overflow — is not zero).
        if (Vector.EqualsAll(error, Vector<double>.Zero))
        {
            s.CopyTo(sum[at..]);
            return;
        }
        for (var k = 0; k < Vector<double>.Count; k++)
        {
            AddOne(at + k, b[k]);
        }
    }

    private void AddOne(int i, double b)
    {
        if (_wide is not null && _wide.TryGetValue(i, out var units))
        {
            _wide[i] = units + Units(b);
            return;
        }
        var a = _sum[i];
        var s = a + b;
        var bb = s - a;
        var error = (a - (s - bb)) + (b - bb);
        if (error == 0 && double.IsFinite(s))
        {
            _sum[i] = s;
            return;
        }
        _wide ??= [];
        _wide[i] = Units(a) + Units(b);
        _sum[i] = double.NaN;
    }

    /// <summary>The integer N with v = N · 2^-1074 (every finite double is one).</summary>
    private static BigInteger Units(double v)
    {
        if (!double.IsFinite(v))
        {
            throw new ArgumentException($"ExactSum: a value is {v}; only finite values can be summed");
        }
        var bits = BitConverter.DoubleToInt64Bits(v);
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xF_FFFF_FFFF_FFFFL;
        var units = exponent == 0 ? new BigInteger(mantissa) : new BigInteger(mantissa | (1L << 52)) << (exponent - 1);
        return bits < 0 ? -units : units;
    }

    /// <summary>The top 53 bits of N · 2^-1074 as an exact double, taken off N.</summary>
    private static double TakeTop(ref BigInteger units)
    {
        var sign = units.Sign;
        var magnitude = BigInteger.Abs(units);
        var shift = Math.Max(0, (int)magnitude.GetBitLength() - 53);
        var top = magnitude >> shift;
        var part = Math.ScaleB((double)(ulong)top, shift - 1074);
        units -= sign * (top << shift);
        return sign < 0 ? -part : part;
    }

    /// <summary>N · 2^-1074 correctly rounded to float32: round to odd at 53 bits, then to nearest at 24.</summary>
    private static float RoundToFloat(BigInteger units)
    {
        if (units.IsZero)
        {
            return 0f;
        }
        var magnitude = BigInteger.Abs(units);
        var length = (int)magnitude.GetBitLength();
        var shift = Math.Max(0, length - 53);
        var top = magnitude >> shift;
        if (shift > 0 && top << shift != magnitude)
        {
            top |= BigInteger.One;
        }
        var value = (float)Math.ScaleB((double)(ulong)top, shift - 1074);
        return units.Sign < 0 ? -value : value;
    }
}
