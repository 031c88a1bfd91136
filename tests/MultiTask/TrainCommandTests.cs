using Accept.Tests.Client;
using System.Diagnostics;
using System.Text.Json;
using Accept.Training.Export;

namespace Accept.Tests.MultiTask;

/// <summary>`accept train`, `accept export` and `accept model init` as separate processes.</summary>
[Trait("Category", "MultiProcess")]
public class TrainCommandTests
{
    private static (int Code, string Out, string Err) Accept(string workingDirectory, params string[] args) => AcceptProcess.Run(workingDirectory, args);

    private static string LastLine(string text) => text.TrimEnd().Split('\n')[^1].Trim();

    [Fact]
    public void TrainPrintsTheRunDirectoryLastAndExportWritesEveryTask()
    {
        using var tiny = new TinyRun();
        var spec = Path.Combine(tiny.Root, "tiny.json");
        File.WriteAllText(spec, tiny.SpecJson());
        var runs = Path.Combine(tiny.Root, "runs");

        var (code, stdout, stderr) = Accept(tiny.Root, "train", "--spec", spec, "--in-process", "--runs-dir", runs, "--steps", "4", "--eval-every", "2");
        Assert.True(code == 0, stderr + stdout);
        var run = LastLine(stdout);
        Assert.StartsWith(runs, run);
        Assert.EndsWith("-tiny", run);
        using (var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json"))))
            Assert.Equal(4, summary.RootElement.GetProperty("tasks").GetProperty("copy").GetProperty("steps").GetInt32());
        Assert.Contains("majority", stdout);
        Assert.Contains("mood", stdout);

        var output = Path.Combine(tiny.Root, "export");
        (code, stdout, stderr) = Accept(tiny.Root, "export", "--run", run, "--out", output);
        Assert.True(code == 0, stderr + stdout);
        foreach (var task in new[] { "mood", "copy" })
        {
            Assert.True(File.Exists(Path.Combine(output, task, PromptExporter.PromptsFile)), task);
            Assert.True(File.Exists(Path.Combine(output, task, "peft", PeftPromptAdapter.ConfigFile)), task);
        }

        (code, _, stderr) = Accept(tiny.Root, "train", "--resume", run, "--in-process", "--learning-rate", "0.5");
        Assert.Equal(2, code);
        Assert.Contains("only --steps may change", stderr);

        (code, _, stderr) = Accept(tiny.Root, "export", "--run", run, "--out", output);
        Assert.Equal(1, code);
        Assert.Contains("already exists", stderr);
        (code, _, stderr) = Accept(tiny.Root, "export", "--run", run, "--out", output, "--force", "--which", "last");
        Assert.True(code == 0, stderr);
        Assert.Contains("is not the trained model of task 'mood'", stderr);
        Assert.Contains("not the trained model", File.ReadAllText(Path.Combine(output, "mood", "peft", PromptExporter.ReadmeFile)));
    }

    [Fact]
    public void WithoutInProcessAMissingSpecIsNamedBeforeAnyClusterStarts()
    {
        using var tiny = new TinyRun();
        var (code, _, stderr) = Accept(tiny.Root, "train", "--spec", "x.json");
        Assert.Equal(2, code);
        Assert.Contains("x.json: run spec file not found", stderr);
    }

    [Fact]
    public void BadSpecValuesAreNamed()
    {
        using var tiny = new TinyRun();
        var spec = Path.Combine(tiny.Root, "tiny.json");
        File.WriteAllText(spec, tiny.SpecJson());
        var (code, _, stderr) = Accept(tiny.Root, "train", "--spec", spec, "--in-process", "--scpp-sub-dim", "48");
        Assert.Equal(2, code);
        Assert.Contains("method.scpp.sub_dim 48 does not divide d_model 64", stderr);
        (code, _, stderr) = Accept(tiny.Root, "train", "--spec", Path.Combine(tiny.Root, "missing.json"), "--in-process");
        Assert.Equal(2, code);
        Assert.Contains("missing.json", stderr);
    }
}
