using Accept.Tests.Client;
using System.Diagnostics;
using Accept.Training.T5;
using Accept.Training.Tokenization;
using TorchSharp;

namespace Accept.Tests.T5;

/// <summary>`accept generate` run as a user runs it, against in-process greedy decoding of the same model.</summary>
[Trait("Category", "MultiProcess")]
public sealed class GenerateCommandTests
{
    private const string Text = "the licence grants permission";

    [Fact]
    public void GenerateCommandPrintsTheGreedyDecodingOfTheText()
    {
        using var temp = ModelWithTokenizer();
        var tokenizer = T5Tokenizer.Load(temp.Path);
        using var model = T5Model.Load(temp.Path);
        using var scope = torch.NewDisposeScope();
        var input = torch.tensor(tokenizer.Encode(Text).Select(i => (long)i).ToArray()).unsqueeze(0);
        using var result = model.Generate(model.EmbedTokens(input), torch.ones_like(input), 4);
        var expected = tokenizer.Decode(result.Sequences[0, 1..].data<long>().ToArray().Select(i => (int)i));
        Assert.Equal(5, result.Sequences.shape[1]);

        var (code, stdout, stderr) = Run("generate", "--model", temp.Path, "--text", Text, "--max-new-tokens", "4");
        Assert.True(code == 0, stderr);
        Assert.Equal(expected, stdout.TrimEnd('\n'));
    }

    [Fact]
    public void GenerateCommandNamesAMissingTokenizer()
    {
        using var temp = new TempDirectory();
        var (code, _, stderr) = Run("generate", "--model", temp.Path, "--text", Text);
        Assert.Equal(2, code);
        Assert.Contains(temp.Path, stderr);
    }

    private static TempDirectory ModelWithTokenizer()
    {
        var temp = new TempDirectory();
        var model = Golden.Load("t5-tiny-v11").Directory;
        foreach (var file in new[] { "config.json", "model.safetensors" })
            File.Copy(Path.Combine(model, file), Path.Combine(temp.Path, file));
        File.Copy(Path.Combine(AppContext.BaseDirectory, "fixtures", "tokenizer", "spiece.model"), Path.Combine(temp.Path, "spiece.model"));
        return temp;
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args) => AcceptProcess.Run(null, args);
}
