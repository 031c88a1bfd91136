using System.Text.Json;
using Accept.Training.IO;
using Accept.Training.T5;
using TorchSharp;
using static TorchSharp.torch;

namespace Accept.Tests.T5;

/// <summary>Checkpoint layouts the loader accepts, and the errors it gives for the ones it cannot.</summary>
[Trait("Category", "Fast")]
public sealed class T5LoaderTests
{
    [Fact]
    public void ShardedCheckpointGivesTheGoldenLogits()
    {
        using var scope = torch.NewDisposeScope();
        var golden = Golden.Load("t5-tiny-v11");
        using var temp = new TempDirectory();
        File.Copy(Path.Combine(golden.Directory, "config.json"), Path.Combine(temp.Path, "config.json"));
        var weightMap = new Dictionary<string, string>();
        using (var file = SafetensorsFile.Open(Path.Combine(golden.Directory, "model.safetensors")))
        {
            var names = file.Tensors.Select(t => t.Name).ToList();
            for (var shard = 0; shard < 2; shard++)
            {
                var shardName = $"model-{shard + 1:D5}-of-00002.safetensors";
                var part = names.Where((_, i) => i % 2 == shard).ToDictionary(n => n, file.Read);
                SafetensorsWriter.Write(Path.Combine(temp.Path, shardName), part);
                foreach (var n in part.Keys)
                    weightMap[n] = shardName;
            }
        }
        File.WriteAllText(Path.Combine(temp.Path, SafetensorsCheckpoint.IndexFile),
            JsonSerializer.Serialize(new { metadata = new { total_size = 0 }, weight_map = weightMap }));

        using var model = T5Model.Load(temp.Path);
        var logits = model.forward(model.EmbedTokens(golden.Long("input_ids")), golden.Long("attention_mask"), golden.Long("decoder_input_ids"));
        T5GoldenTests.AssertClose(golden.Float("logits"), logits, "logits");
    }

    [Theory]
    [InlineData(ScalarType.Float16, 2e-2)]
    [InlineData(ScalarType.BFloat16, 2e-1)]
    public void HalfPrecisionCheckpointsLoadAsFloat32(ScalarType dtype, double tolerance)
    {
        using var scope = torch.NewDisposeScope();
        var golden = Golden.Load("t5-tiny-v1");
        using var temp = new TempDirectory();
        Rewrite(golden.Directory, temp.Path, tensors => tensors.ToDictionary(kv => kv.Key, kv => kv.Value.to_type(dtype)));
        using (var file = SafetensorsFile.Open(Path.Combine(temp.Path, "model.safetensors")))
            Assert.All(file.Tensors, t => Assert.Equal(SafetensorsDType.NameOf(dtype), t.DType));

        using var model = T5Model.Load(temp.Path);
        var logits = model.forward(model.EmbedTokens(golden.Long("input_ids")), golden.Long("attention_mask"), golden.Long("decoder_input_ids"));
        Assert.Equal(ScalarType.Float32, logits.dtype);
        var diff = (logits - golden.Float("logits")).abs().max().item<float>();
        Assert.True(diff < tolerance, $"{dtype} logits differ by {diff}");
    }

    [Fact]
    public void MissingDirectoryAndFilesAreNamed()
    {
        using var temp = new TempDirectory();
        var missing = Path.Combine(temp.Path, "nope");
        Assert.Contains(missing, Assert.Throws<CheckpointException>(() => T5Model.Load(missing)).Message);

        var config = Path.Combine(temp.Path, "config.json");
        Assert.Contains(config, Assert.Throws<CheckpointException>(() => T5Model.Load(temp.Path)).Message);

        File.Copy(Path.Combine(Golden.Load("t5-tiny-v1").Directory, "config.json"), config);
        var error = Assert.Throws<CheckpointException>(() => T5Model.Load(temp.Path));
        Assert.Contains(Path.Combine(temp.Path, "model.safetensors"), error.Message);
    }

    [Theory]
    [InlineData("{ \"model_type\": ", "malformed JSON")]
    [InlineData("{ \"model_type\": \"bert\", \"vocab_size\": 8 }", "model_type 'bert' is not supported")]
    [InlineData("{ \"model_type\": \"t5\", \"vocab_size\": 8 }", "missing field 'd_model'")]
    [InlineData("{ \"model_type\": \"t5\", \"vocab_size\": \"many\", \"d_model\": 8 }", "field 'vocab_size' must be")]
    public void BadConfigsAreReportedWithTheFileAndField(string json, string expected)
    {
        using var temp = new TempDirectory();
        var config = Path.Combine(temp.Path, "config.json");
        File.WriteAllText(config, json);
        var error = Assert.Throws<CheckpointException>(() => T5Model.Load(temp.Path));
        Assert.Contains(config, error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void UnsupportedFeedForwardIsReported()
    {
        using var temp = new TempDirectory();
        var text = File.ReadAllText(Path.Combine(Golden.Load("t5-tiny-v1").Directory, "config.json")).Replace("\"relu\"", "\"gated-silu\"");
        File.WriteAllText(Path.Combine(temp.Path, "config.json"), text);
        Assert.Contains("feed_forward_proj 'gated-silu'", Assert.Throws<CheckpointException>(() => T5Model.Load(temp.Path)).Message);
    }

    [Fact]
    public void MissingTensorIsNamed()
    {
        using var scope = torch.NewDisposeScope();
        using var temp = new TempDirectory();
        const string name = "decoder.block.1.layer.2.DenseReluDense.wo.weight";
        Rewrite(Golden.Load("t5-tiny-v1").Directory, temp.Path, t => t.Where(kv => kv.Key != name).ToDictionary());
        var error = Assert.Throws<CheckpointException>(() => T5Model.Load(temp.Path));
        Assert.Contains($"missing tensor '{name}'", error.Message);
        Assert.Contains("model.safetensors", error.Message);
    }

    [Fact]
    public void WrongShapeIsReportedWithExpectedAndFound()
    {
        using var scope = torch.NewDisposeScope();
        using var temp = new TempDirectory();
        const string name = "encoder.block.0.layer.0.SelfAttention.q.weight";
        Rewrite(Golden.Load("t5-tiny-v1").Directory, temp.Path, t =>
        {
            var copy = t.ToDictionary();
            copy[name] = torch.zeros(32, 64);
            return copy;
        });
        var error = Assert.Throws<CheckpointException>(() => T5Model.Load(temp.Path));
        Assert.Contains($"'{name}' has shape [32, 64], expected [64, 64]", error.Message);
        Assert.Contains(Path.Combine(temp.Path, "model.safetensors"), error.Message);
    }

    private static void Rewrite(string source, string target, Func<Dictionary<string, Tensor>, Dictionary<string, Tensor>> change)
    {
        File.Copy(Path.Combine(source, "config.json"), Path.Combine(target, "config.json"));
        using var file = SafetensorsFile.Open(Path.Combine(source, "model.safetensors"));
        var tensors = file.Tensors.ToDictionary(t => t.Name, t => file.Read(t.Name));
        SafetensorsWriter.Write(Path.Combine(target, "model.safetensors"), change(tensors));
    }
}
