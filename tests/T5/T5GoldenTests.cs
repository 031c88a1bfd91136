using Accept.Training.IO;
using Accept.Training.T5;
using TorchSharp;
using static TorchSharp.torch;

namespace Accept.Tests.T5;

/// <summary>The backbone against Hugging Face's outputs for the same checkpoints, to 1e-4.</summary>
[Trait("Category", "Fast")]
public sealed class T5GoldenTests
{
    private const double Tolerance = 1e-4;

    public static TheoryData<string, bool> Cases => new()
    {
        { "t5-tiny-v1", false }, { "t5-tiny-v1", true }, { "t5-tiny-v11", false }, { "t5-tiny-v11", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardMatchesHuggingFace(string fixture, bool withoutTiedCopies)
    {
        using var scope = torch.NewDisposeScope();
        var golden = Golden.Load(fixture);
        using var temp = new TempDirectory();
        using var model = T5Model.Load(withoutTiedCopies ? WithoutTiedCopies(golden.Directory, temp.Path) : golden.Directory);
        var ids = golden.Long("input_ids");
        var mask = golden.Long("attention_mask");
        var decoderIds = golden.Long("decoder_input_ids");

        var encoded = model.Encode(model.EmbedTokens(ids), mask);
        var real = mask.unsqueeze(-1).to_type(ScalarType.Bool).expand_as(encoded);
        AssertClose(golden.Float("encoder_last_hidden_state").masked_select(real), encoded.masked_select(real), "encoder_last_hidden_state");
        AssertClose(golden.Float("decoder_last_hidden_state"), model.DecodeHidden(decoderIds, encoded, mask), "decoder_last_hidden_state");

        var logits = model.forward(model.EmbedTokens(ids), mask, decoderIds);
        AssertClose(golden.Float("logits"), logits, "logits");
        var loss = T5Model.Loss(logits, golden.Long("labels")).item<float>();
        Assert.Equal(golden.Scalar("loss"), loss, Tolerance);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GreedyGenerationMatchesHuggingFace(string fixture, bool withoutTiedCopies)
    {
        using var scope = torch.NewDisposeScope();
        var golden = Golden.Load(fixture);
        using var temp = new TempDirectory();
        using var model = T5Model.Load(withoutTiedCopies ? WithoutTiedCopies(golden.Directory, temp.Path) : golden.Directory);
        var ids = golden.Long("input_ids");
        using var result = model.Generate(model.EmbedTokens(ids), golden.Long("attention_mask"), maxNewTokens: 5);

        var expected = golden.Long("generate.sequences");
        Assert.Equal(expected.data<long>().ToArray(), result.Sequences.data<long>().ToArray());
        // golden scores are [step][row][vocab]; ours [row][step][vocab]
        AssertClose(golden.Float("generate.scores").transpose(0, 1), result.Scores, "scores");
    }

    [Theory]
    [InlineData(32, new long[] { 0, 351, 32, 0, 0, 0, 0, 351, 468, 468, 468, 468 }, 5)]
    [InlineData(351, new long[] { 0, 351, 0, 351 }, 1)]
    public void GenerationPadsFinishedRowsAndStopsWhenAllHaveEnded(long eos, long[] expected, int steps)
    {
        // With eos set to a token the golden greedy output contains, HF's rule gives: rows that emitted
        // eos continue with pad, and decoding stops once every row has emitted it.
        using var scope = torch.NewDisposeScope();
        var golden = Golden.Load("t5-tiny-v11");
        using var temp = new TempDirectory();
        File.Copy(Path.Combine(golden.Directory, "model.safetensors"), Path.Combine(temp.Path, "model.safetensors"));
        File.WriteAllText(Path.Combine(temp.Path, "config.json"),
            File.ReadAllText(Path.Combine(golden.Directory, "config.json")).Replace("\"eos_token_id\": 1", $"\"eos_token_id\": {eos}"));
        using var model = T5Model.Load(temp.Path);
        Assert.Equal(eos, model.Config.EosTokenId);
        using var result = model.Generate(model.EmbedTokens(golden.Long("input_ids")), golden.Long("attention_mask"), maxNewTokens: 5);
        Assert.Equal(expected, result.Sequences.data<long>().ToArray());
        Assert.Equal(new long[] { 2, steps, 512 }, result.Scores.shape);
        // Row 1 never ends, so all its scores are HF's; row 0's are until it has emitted eos (then it is fed pad).
        var goldenScores = golden.Float("generate.scores").transpose(0, 1);
        var ended = Math.Min(Array.IndexOf(expected, eos, 1) + 1, steps);
        AssertClose(goldenScores[1, ..steps], result.Scores[1], "row 1 scores");
        AssertClose(goldenScores[0, ..ended], result.Scores[0, ..ended], "row 0 scores");
    }

    [Fact]
    public void ShiftRightReproducesGoldenDecoderInputs()
    {
        using var scope = torch.NewDisposeScope();
        var golden = Golden.Load("t5-tiny-v1");
        var shifted = T5Model.ShiftRight(golden.Long("labels"), decoderStartId: 0, padId: 0);
        Assert.Equal(golden.Long("decoder_input_ids").data<long>().ToArray(), shifted.data<long>().ToArray());
    }

    [Fact]
    public void LossIgnoresMinus100Labels()
    {
        using var scope = torch.NewDisposeScope();
        var logits = torch.randn(1, 2, 5);
        var all = T5Model.Loss(logits, torch.tensor(new long[] { 3, 4 }).reshape(1, 2)).item<float>();
        var first = T5Model.Loss(logits, torch.tensor(new long[] { 3, -100 }).reshape(1, 2)).item<float>();
        var expectedFirst = -nn.functional.log_softmax(logits[0, 0], 0)[3].item<float>();
        Assert.Equal(expectedFirst, first, 1e-5);
        Assert.NotEqual(all, first, 1e-3);
    }

    [Fact]
    public void BackboneIsFrozenButGradientsReachTheInputs()
    {
        using var scope = torch.NewDisposeScope();
        var golden = Golden.Load("t5-tiny-v11");
        using var model = T5Model.Load(golden.Directory);
        var embeds = model.EmbedTokens(golden.Long("input_ids")).detach().requires_grad_(true);
        var logits = model.forward(embeds, golden.Long("attention_mask"), golden.Long("decoder_input_ids"));
        T5Model.Loss(logits, golden.Long("labels")).backward();

        Assert.NotNull(embeds.grad);
        Assert.True(embeds.grad!.abs().sum().item<float>() > 0);
        Assert.All(model.parameters(), p =>
        {
            Assert.False(p.requires_grad);
            Assert.Null(p.grad);
        });
    }

    [Fact]
    public void SaveThenLoadGivesTheSameLogits()
    {
        using var scope = torch.NewDisposeScope();
        var config = T5Config.Load(Path.Combine(Golden.Load("t5-tiny-v1").Directory, "config.json")) with { NumDecoderLayers = 3 };
        using var temp = new TempDirectory();
        using var model = T5Model.CreateRandom(config, seed: 7);
        model.Save(temp.Path);
        using var loaded = T5Model.Load(temp.Path);
        Assert.Equal(config, loaded.Config);
        Assert.Equal(model.ParameterCount, loaded.ParameterCount);
        var ids = torch.tensor(new long[] { 5, 6, 7, 1 }).reshape(1, 4);
        var mask = torch.ones(1, 4, ScalarType.Int64);
        var decoderIds = torch.tensor(new long[] { 0, 9 }).reshape(1, 2);
        AssertClose(model.forward(model.EmbedTokens(ids), mask, decoderIds), loaded.forward(loaded.EmbedTokens(ids), mask, decoderIds), "logits");
    }

    internal static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        var diff = (expected - actual.detach()).abs().max().item<float>();
        Assert.True(diff <= Tolerance, $"{what}: max |difference| {diff} exceeds {Tolerance}");
    }

    /// <summary>A copy of the checkpoint as HF's save_pretrained writes it: without the tied embed_tokens copies.</summary>
    private static string WithoutTiedCopies(string source, string target)
    {
        File.Copy(Path.Combine(source, "config.json"), Path.Combine(target, "config.json"));
        using var file = SafetensorsFile.Open(Path.Combine(source, "model.safetensors"));
        var kept = file.Tensors.Where(t => !t.Name.EndsWith("embed_tokens.weight", StringComparison.Ordinal))
            .ToDictionary(t => t.Name, t => file.Read(t.Name));
        Assert.True(kept.Count < file.Tensors.Count);
        SafetensorsWriter.Write(Path.Combine(target, "model.safetensors"), kept);
        foreach (var t in kept.Values)
            t.Dispose();
        return target;
    }
}
