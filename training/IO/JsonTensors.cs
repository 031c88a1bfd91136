using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Accept.Training.IO;

/// <summary>Tensors as nested JSON arrays: rectangular integer input, float output.</summary>
public static class JsonTensors
{
    /// <summary>Reads field <paramref name="field"/> of <paramref name="root"/> as a rectangular int64 tensor of <paramref name="rank"/> dimensions.</summary>
    public static Tensor ReadInt64(string file, JsonElement root, string field, int rank)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(field, out var element))
            throw new CheckpointException(file, $"missing field '{field}'");
        var shape = new long[rank];
        var values = new List<long>();
        Collect(file, field, element, 0, shape, values);
        return torch.tensor(values.ToArray(), shape);
    }

    /// <summary>Writes a float tensor as nested arrays (shortest round-trip decimals).</summary>
    public static void WriteFloat(Utf8JsonWriter writer, Tensor tensor)
    {
        using var cpu = tensor.detach().cpu().to_type(ScalarType.Float32).contiguous();
        var data = cpu.data<float>().ToArray();
        var shape = cpu.shape;
        var index = 0;
        Write(writer, data, shape, 0, ref index);
    }

    private static void Write(Utf8JsonWriter writer, float[] data, long[] shape, int dim, ref int index)
    {
        writer.WriteStartArray();
        for (var i = 0; i < shape[dim]; i++)
        {
            if (dim == shape.Length - 1)
                writer.WriteNumberValue(data[index++]);
            else
                Write(writer, data, shape, dim + 1, ref index);
        }
        writer.WriteEndArray();
    }

    private static void Collect(string file, string field, JsonElement e, int dim, long[] shape, List<long> into)
    {
        var where = $"field '{field}'";
        if (dim == shape.Length)
        {
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out var v))
                throw new CheckpointException(file, $"{where} must hold integers, found {e.GetRawText()}");
            into.Add(v);
            return;
        }
        if (e.ValueKind != JsonValueKind.Array)
            throw new CheckpointException(file, $"{where} must be a {shape.Length}-dimensional array of integers, found {Abbreviate(e.GetRawText())}");
        var length = e.GetArrayLength();
        if (length == 0)
            throw new CheckpointException(file, $"{where} has an empty array at depth {dim + 1}");
        if (shape[dim] == 0)
            shape[dim] = length;
        else if (shape[dim] != length)
            throw new CheckpointException(file, $"{where} is not rectangular: arrays at depth {dim + 1} have lengths {shape[dim]} and {length}");
        foreach (var item in e.EnumerateArray())
            Collect(file, field, item, dim + 1, shape, into);
    }

    private static string Abbreviate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
