using System.Text;
using Accept.Tests.T5;
using Accept.Training.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace Accept.Tests.IO;

[Trait("Category", "Fast")]
public sealed class SafetensorsTests
{
    [Fact]
    public void RoundTripKeepsValuesDtypesShapesAndMetadata()
    {
        using var scope = torch.NewDisposeScope();
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "a.safetensors");
        var values = torch.tensor(new float[] { 0.5f, -1.25f, 3f, 1e-3f, 7f, -2f }).reshape(2, 3);
        var tensors = new Dictionary<string, Tensor>
        {
            ["f32"] = values,
            ["f16"] = values.to_type(ScalarType.Float16),
            ["bf16"] = values.to_type(ScalarType.BFloat16),
            ["step"] = torch.tensor(new long[] { 42 }),
        };
        SafetensorsWriter.Write(path, tensors, new Dictionary<string, string> { ["format"] = "pt" });

        Assert.Single(Directory.GetFiles(temp.Path));
        using var file = SafetensorsFile.Open(path);
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal(new[] { "bf16", "f16", "f32", "step" }, file.Tensors.Select(t => t.Name).Order());
        Assert.Equal("BF16", file.Info("bf16").DType);
        Assert.Equal(new long[] { 2, 3 }, file.Info("f16").Shape);
        foreach (var name in new[] { "f32", "f16", "bf16" })
        {
            var read = file.ReadFloat32(name);
            Assert.Equal(ScalarType.Float32, read.dtype);
            // 16-bit formats round to their precision; the chosen values are exact in F16, nearly so in BF16.
            Assert.True(read.allclose(values, rtol: 1e-2, atol: 1e-3), name);
        }
        Assert.Equal(42L, file.Read("step").item<long>());
        Assert.Equal(tensors["bf16"].to_type(ScalarType.Float32).data<float>().ToArray(), file.ReadFloat32("bf16").data<float>().ToArray());
    }

    [Fact]
    public void WriterReplacesAnExistingFileAndLeavesNoTemporaries()
    {
        using var scope = torch.NewDisposeScope();
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "w.safetensors");
        SafetensorsWriter.Write(path, new Dictionary<string, Tensor> { ["x"] = torch.ones(3) });
        SafetensorsWriter.Write(path, new Dictionary<string, Tensor> { ["y"] = torch.zeros(2) });
        using var file = SafetensorsFile.Open(path);
        Assert.Equal(new[] { "y" }, file.Tensors.Select(t => t.Name));
        Assert.Equal(new[] { path }, Directory.GetFiles(temp.Path));
        Assert.Equal(0, (8 + BitConverter.ToInt64(File.ReadAllBytes(path), 0)) % 8);
    }

    [Fact]
    public void ReadsNonContiguousTensorsAsTheirLogicalValues()
    {
        using var scope = torch.NewDisposeScope();
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "t.safetensors");
        var transposed = torch.arange(6, dtype: ScalarType.Float32).reshape(2, 3).t();
        SafetensorsWriter.Write(path, new Dictionary<string, Tensor> { ["t"] = transposed });
        using var file = SafetensorsFile.Open(path);
        Assert.Equal(transposed.contiguous().data<float>().ToArray(), file.ReadFloat32("t").data<float>().ToArray());
    }

    public static TheoryData<string, string> MalformedFiles => new()
    {
        { "short", "too short" },
        { "header-length", "header length" },
        { "json", "malformed safetensors header JSON" },
        { "dtype", "unsupported dtype 'F8_E4M3'" },
        { "offsets", "out of range" },
        { "size", "needs 24" },
        { "shape", "shape must hold" },
    };

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public void MalformedFilesGiveClearErrorsNamingTheFile(string kind, string expected)
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, kind + ".safetensors");
        var data = new byte[24];
        File.WriteAllBytes(path, kind switch
        {
            "short" => new byte[3],
            "header-length" => [.. BitConverter.GetBytes(1_000_000L), .. data],
            "json" => Raw("{\"x\": {\"dtype\": ", data),
            "dtype" => Raw("{\"x\":{\"dtype\":\"F8_E4M3\",\"shape\":[24],\"data_offsets\":[0,24]}}", data),
            "offsets" => Raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[12],\"data_offsets\":[0,48]}}", data),
            "size" => Raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,16]}}", data),
            "shape" => Raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[-6],\"data_offsets\":[0,24]}}", data),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        });
        var error = Assert.Throws<CheckpointException>(() => SafetensorsFile.Open(path).Dispose());
        Assert.Contains(path, error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void TruncatedDataIsReportedWithTheTensorName()
    {
        using var scope = torch.NewDisposeScope();
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "cut.safetensors");
        SafetensorsWriter.Write(path, new Dictionary<string, Tensor> { ["weights"] = torch.ones(100) });
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^40]);
        var error = Assert.Throws<CheckpointException>(() => SafetensorsFile.Open(path).Dispose());
        Assert.Contains(path, error.Message);
        Assert.Contains("'weights'", error.Message);
    }

    [Fact]
    public void MissingFileAndMissingTensorAreNamed()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "none.safetensors");
        Assert.Contains(path, Assert.Throws<CheckpointException>(() => SafetensorsFile.Open(path)).Message);

        using var scope = torch.NewDisposeScope();
        SafetensorsWriter.Write(path, new Dictionary<string, Tensor> { ["a"] = torch.ones(1) });
        using var file = SafetensorsFile.Open(path);
        var error = Assert.Throws<CheckpointException>(() => file.ReadFloat32("b"));
        Assert.Contains("'b'", error.Message);
        Assert.Contains(path, error.Message);
    }

    private static byte[] Raw(string header, byte[] data)
    {
        var json = Encoding.UTF8.GetBytes(header);
        return [.. BitConverter.GetBytes((long)json.Length), .. json, .. data];
    }
}
