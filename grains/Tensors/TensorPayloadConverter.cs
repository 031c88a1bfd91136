using System.Runtime.CompilerServices;
using System.Numerics;
using System.Runtime.InteropServices;
using Accept.GrainInterfaces.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Accept.Grains.Tensors;

/// <summary>TorchSharp tensors to and from <see cref="TensorPayload"/>, with the checks a receiver needs before trusting bytes.</summary>
public static class TensorPayloadConverter
{
    private static readonly Dictionary<string, (ScalarType Type, int Size)> DTypes = new(StringComparer.Ordinal)
    {
        ["float32"] = (ScalarType.Float32, 4),
        ["float64"] = (ScalarType.Float64, 8),
        ["float16"] = (ScalarType.Float16, 2),
        ["bfloat16"] = (ScalarType.BFloat16, 2),
        ["int64"] = (ScalarType.Int64, 8),
        ["int32"] = (ScalarType.Int32, 4),
    };

    /// <summary>Copies the tensor's elements (detached, on the CPU, contiguous) into a payload.</summary>
    public static TensorPayload ToPayload(Tensor tensor)
    {
        var name = DTypes.FirstOrDefault(d => d.Value.Type == tensor.dtype).Key
            ?? throw new ArgumentException($"Tensor dtype {tensor.dtype} cannot travel as a payload; expected one of {string.Join(", ", DTypes.Keys)}.");
        using var scope = NewDisposeScope();
        var flat = tensor.detach().cpu().contiguous();
        return new TensorPayload(name, flat.shape, flat.bytes.ToArray());
    }

    /// <summary>A new tensor on <paramref name="device"/> (null: the CPU) holding the payload's elements; the caller owns (disposes) it.</summary>
    public static Tensor ToTensor(TensorPayload payload, string name = "tensor", Device? device = null)
    {
        Validate(payload, name);
        // Bytes can only be written into CPU memory; another device gets a copy of that tensor.
        var tensor = empty(payload.Shape, DTypes[payload.DType].Type);
        tensor.bytes = payload.Data;
        if (device is null || device.type == DeviceType.CPU) return tensor;
        using (tensor) return tensor.to(device);
    }

    /// <summary>Throws naming <paramref name="name"/> when the dtype is unknown or the byte count does not match the shape.</summary>
    public static void Validate(TensorPayload payload, string name)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (payload.DType is null || !DTypes.TryGetValue(payload.DType, out var dtype))
        {
            throw new ArgumentException($"Tensor '{name}' has dtype '{payload.DType}'; expected one of {string.Join(", ", DTypes.Keys)}.");
        }
        if (payload.Shape is null || payload.Shape.Any(d => d < 0))
        {
            throw new ArgumentException($"Tensor '{name}' has shape [{string.Join(", ", payload.Shape ?? [])}]; dimensions must be non-negative.");
        }
        var elements = payload.Shape.Aggregate(1L, (product, d) => checked(product * d));
        if (payload.Data is null || payload.Data.LongLength != elements * dtype.Size)
        {
            throw new ArgumentException(
                $"Tensor '{name}' of shape [{string.Join(", ", payload.Shape)}] and dtype {payload.DType} needs {elements * dtype.Size} bytes, got {payload.Data?.LongLength ?? 0}.");
        }
    }

    /// <summary>True when no element is NaN or infinite (always true for integer dtypes). Reads the bytes without libtorch.</summary>
    public static bool AllFinite(TensorPayload payload)
    {
        var data = payload.Data.AsSpan();
        switch (payload.DType)
        {
            case "float32":
                return AllFinite(MemoryMarshal.Cast<byte, float>(data));
            case "float64":
                return AllFinite(MemoryMarshal.Cast<byte, double>(data));
            case "float16":
                foreach (var v in MemoryMarshal.Cast<byte, Half>(data)) { if (!Half.IsFinite(v)) return false; }
                return true;
            case "bfloat16":
                // bfloat16 is the top half of a float32: all-ones exponent means NaN or infinity.
                foreach (var bits in MemoryMarshal.Cast<byte, ushort>(data)) { if ((bits & 0x7F80) == 0x7F80) return false; }
                return true;
            default:
                return true;
        }
    }

    /// <summary>x · 0 is 0 exactly when x is finite (NaN and ±∞ give NaN), checked a vector at a time: every push is checked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool AllFinite<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            for (; i + Vector<T>.Count <= values.Length; i += Vector<T>.Count)
            {
                if (!Vector.EqualsAll(new Vector<T>(values[i..]) * Vector<T>.Zero, Vector<T>.Zero))
                {
                    return false;
                }
            }
        }
        for (; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                return false;
            }
        }
        return true;
    }
}
