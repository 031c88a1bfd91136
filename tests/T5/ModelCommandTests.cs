using Accept.Tests.Client;
using System.Diagnostics;
using System.Text.Json;
using TorchSharp;

namespace Accept.Tests.T5;

/// <summary>`accept model info|logits` run as a user runs them: the built command in its own process.</summary>
[Trait("Category", "MultiProcess")]
public sealed class ModelCommandTests
{
    [Fact]
    public void LogitsCommandPrintsHuggingFacesLogitsAndEncoderStates()
    {
        var golden = Golden.Load("t5-tiny-v11");
        using var temp = new TempDirectory();
        var input = Path.Combine(temp.Path, "input.json");
        using (var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(golden.Directory, "golden.json"))))
        {
            var root = doc.RootElement;
            File.WriteAllText(input, JsonSerializer.Serialize(new
            {
                input_ids = root.GetProperty("input_ids"),
                attention_mask = root.GetProperty("attention_mask"),
                decoder_input_ids = root.GetProperty("decoder_input_ids"),
            }));
        }
        var (code, stdout, stderr) = Accept("model", "logits", "--model", golden.Directory, "--input", input);
        Assert.True(code == 0, stderr);

        using var scope = torch.NewDisposeScope();
        using var output = JsonDocument.Parse(stdout);
        var logits = ToTensor(output.RootElement.GetProperty("logits"));
        T5GoldenTests.AssertClose(golden.Float("logits"), logits, "logits");
        var encoded = ToTensor(output.RootElement.GetProperty("encoder_last_hidden_state"));
        Assert.Equal(new long[] { 2, 7, 64 }, encoded.shape);
        var real = golden.Long("attention_mask").unsqueeze(-1).to_type(torch.ScalarType.Bool).expand_as(encoded);
        T5GoldenTests.AssertClose(golden.Float("encoder_last_hidden_state").masked_select(real), encoded.masked_select(real), "encoder");
    }

    [Fact]
    public void LogitsCommandRejectsRaggedInputNamingFileAndField()
    {
        using var temp = new TempDirectory();
        var input = Path.Combine(temp.Path, "ragged.json");
        File.WriteAllText(input, """{"input_ids": [[5, 6], [7]], "attention_mask": [[1, 1], [1]], "decoder_input_ids": [[0], [0]]}""");
        var (code, _, stderr) = Accept("model", "logits", "--model", Golden.Load("t5-tiny-v1").Directory, "--input", input);
        Assert.Equal(2, code);
        Assert.Contains(input, stderr);
        Assert.Contains("'input_ids' is not rectangular", stderr);
    }

    [Fact]
    public void InfoCommandShowsArchitectureAndParameterCount()
    {
        var (code, stdout, stderr) = Accept("model", "info", "--model", Golden.Load("t5-tiny-v1").Directory);
        Assert.True(code == 0, stderr);
        Assert.Contains("T5 v1.0", stdout);
        // shared 512·64 + encoder 2·(4·64·64 + 2·64·128 + 2·64) + 32·4 + 64
        // + decoder 2·(8·64·64 + 2·64·128 + 3·64) + 32·4 + 64
        Assert.Contains((512 * 64 + 2 * (4 * 64 * 64 + 2 * 64 * 128 + 2 * 64) + 32 * 4 + 64
                         + 2 * (8 * 64 * 64 + 2 * 64 * 128 + 3 * 64) + 32 * 4 + 64).ToString("N0"), stdout);
        Assert.Contains("F32", stdout);
    }

    [Fact]
    public void InfoCommandNamesAMissingDirectory()
    {
        var missing = Path.Combine(Path.GetTempPath(), "accept-no-such-model-" + Guid.NewGuid().ToString("N"));
        var (code, _, stderr) = Accept("model", "info", "--model", missing);
        Assert.Equal(2, code);
        Assert.Contains(missing, stderr);
    }

    private static torch.Tensor ToTensor(JsonElement e)
    {
        var shape = new List<long>();
        for (var x = e; x.ValueKind == JsonValueKind.Array; x = x[0])
            shape.Add(x.GetArrayLength());
        var values = new List<float>();
        void Walk(JsonElement y)
        {
            if (y.ValueKind == JsonValueKind.Array)
                foreach (var z in y.EnumerateArray())
                    Walk(z);
            else
                values.Add(y.GetSingle());
        }
        Walk(e);
        return torch.tensor(values.ToArray(), shape.ToArray());
    }

    private static (int Code, string Stdout, string Stderr) Accept(params string[] args) => AcceptProcess.Run(null, args);
}
