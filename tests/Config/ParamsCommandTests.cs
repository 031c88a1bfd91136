using Accept.Tests.Client;
using System.Diagnostics;
using System.Text.Json;

namespace Accept.Tests.Config;

/// <summary>Runs the built `accept` (a separate process, so console output is not shared with other tests).</summary>
[Trait("Category", "MultiProcess")]
public class ParamsCommandTests
{
    private static (int Code, string Out, string Err) Accept(params string[] args) => AcceptProcess.Run(null, args);

    [Fact]
    public void T5BaseWithPaperFlagsPrints74880AsJson()
    {
        var (code, stdout, stderr) = Accept("params", "--d-model", "768", "--prompt-length", "60", "--scpp-sub-dim", "32",
            "--scpp-codebook-size", "20", "--added", "dept", "--added-rank", "30", "--max-length", "256", "--json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(74_880, doc.RootElement.GetProperty("total").GetInt64());
        Assert.Equal(28_800, doc.RootElement.GetProperty("parts").GetProperty("SCPP weights").GetInt64());
        Assert.Equal(30_720, doc.RootElement.GetProperty("added").GetInt64());
    }

    [Fact]
    public void SpecWithModelDirectoryCountsPerTaskAndPerRun()
    {
        var dir = Path.Combine(Path.GetTempPath(), "accept-params-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var model = Path.Combine(AppContext.BaseDirectory, "fixtures", "t5-tiny-v1");
            var spec = Path.Combine(dir, "run.json");
            File.WriteAllText(spec, $$"""
                { "backbone": {{JsonSerializer.Serialize(model)}},
                  "tasks": [ {"name":"a","source":"demo","dataset":"spam"}, {"name":"b","source":"demo", "dataset": "spam"} ],
                  "method": { "prompt_length": 4, "scpp": { "sub_dim": 16, "codebook_size": 2 }, "added": { "kind": "none" } } }
                """);
            var (code, stdout, stderr) = Accept("params", "--spec", spec, "--json");
            Assert.True(code == 0, stderr);
            using var doc = JsonDocument.Parse(stdout);
            // d 64 → K 4: weights 4·4·2 = 32 per task, codebook 4·2·16 = 128 once for the shared group.
            Assert.Equal(160, doc.RootElement.GetProperty("total").GetInt64());
            Assert.Equal(2 * 32 + 128, doc.RootElement.GetProperty("run_total").GetInt64());
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void BadFlagIsAnErrorNamingIt()
    {
        var (code, _, stderr) = Accept("params", "--d-model", "512", "--scpp-sub-dim", "48");
        Assert.Equal(2, code);
        Assert.Contains("method.scpp.sub_dim 48 does not divide d_model 512", stderr);
    }
}
