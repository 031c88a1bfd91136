using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Accept.Tests.T5;

/// <summary>A fixture folder's golden.json (HF's outputs for its model) as tensors.</summary>
internal sealed class Golden
{
    private readonly JsonElement _root;

    private Golden(string directory, JsonElement root)
    {
        Directory = directory;
        _root = root;
    }

    public string Directory { get; }

    public static Golden Load(string fixture)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "fixtures", fixture);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "golden.json")));
        return new Golden(directory, doc.RootElement.Clone());
    }

    public Tensor Long(string name) => Tensor(Element(name), ScalarType.Int64);

    public Tensor Float(string name) => Tensor(Element(name), ScalarType.Float32);

    public double Scalar(string name) => Element(name).GetDouble();

    private JsonElement Element(string path)
    {
        var e = _root;
        foreach (var part in path.Split('.'))
            e = e.GetProperty(part);
        return e;
    }

    private static Tensor Tensor(JsonElement e, ScalarType type)
    {
        var shape = new List<long>();
        for (var x = e; x.ValueKind == JsonValueKind.Array; x = x[0])
            shape.Add(x.GetArrayLength());
        var values = new List<double>();
        Flatten(e, values);
        return torch.tensor(values.ToArray(), shape.ToArray()).to_type(type);
    }

    private static void Flatten(JsonElement e, List<double> into)
    {
        if (e.ValueKind == JsonValueKind.Array)
        {
            foreach (var x in e.EnumerateArray())
                Flatten(x, into);
        }
        else
        {
            into.Add(e.GetDouble());
        }
    }
}
