using System.CommandLine;
using System.Text.Json;
using Accept.Client.Commands;

namespace Accept.Tests.Tokenization;

[Trait("Category", "Fast")]
public sealed class TokenizeCommandTests
{
    private static (int Exit, string Output, string Error) Invoke(params string[] args)
    {
        var root = new RootCommand { TokenizeCommand.Create() };
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void Prints_one_json_array_of_golden_ids_per_text()
    {
        var cases = TokenizerFixtures.GoldenCases();
        var (exit, output, _) = Invoke("tokenize", "--model", TokenizerFixtures.Directory, "--eos", cases[0].Text, cases[1].Text);
        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal(cases[0].IdsWithEos, JsonSerializer.Deserialize<int[]>(lines[0]));
        Assert.Equal(cases[1].IdsWithEos, JsonSerializer.Deserialize<int[]>(lines[1]));
    }

    [Fact]
    public void Accepts_the_model_file_itself_and_omits_eos_by_default()
    {
        var golden = TokenizerFixtures.GoldenCases()[0];
        var (exit, output, _) = Invoke("tokenize", "--model", TokenizerFixtures.ModelFile, golden.Text);
        Assert.Equal(0, exit);
        Assert.Equal(golden.Ids, JsonSerializer.Deserialize<int[]>(output.Trim()));
    }

    [Fact]
    public void Missing_model_is_a_clear_error()
    {
        var (exit, output, error) = Invoke("tokenize", "--model", "/nonexistent/tok", "hello");
        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Contains("/nonexistent/tok", error);
    }
}
