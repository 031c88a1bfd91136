using System.Text.Json;
using MultiTaskRun = Accept.Tests.MultiTask.TinyRun;
using Accept.Training.Tokenization;

namespace Accept.Tests.Client.Commands;

/// <summary>
/// Issue 11, "Data files", "Divergence", "Sizes" and "CLI", as a user meets them: the `accept` process
/// prints one `error:` line naming the file, key or flag, exits 2 for bad input and 1 for a failed run
/// (README, "Exit codes"), and never prints a stack trace.
/// </summary>
[Trait("Category", "MultiProcess")]
public sealed class CliBadInputTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private static void AssertOneErrorLine(string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length >= 1 && lines[0].StartsWith("error: ", StringComparison.Ordinal), stderr);
        Assert.DoesNotContain("Unhandled", stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.DoesNotContain(".cs:line", stderr);
    }

    [Fact]
    public async Task Bad_data_in_process_is_one_line_naming_file_and_line_and_exit_code_2()
    {
        using var tiny = new MultiTaskRun();
        var lines = File.ReadAllLines(tiny.MoodFile);
        lines[4] = "{\"text\":\"a\u0000b\",\"label\":\"positive\"}";
        File.WriteAllLines(tiny.MoodFile, lines);
        var spec = Path.Combine(tiny.Root, "tiny.json");
        File.WriteAllText(spec, tiny.SpecJson());

        var (code, _, stderr) = await AcceptProcess.RunAsync(Timeout, "train", "--spec", spec, "--in-process", "--runs-dir", Path.Combine(tiny.Root, "runs"));

        Assert.Equal(2, code);
        AssertOneErrorLine(stderr);
        Assert.Contains($"{tiny.MoodFile}, line 5: NUL byte", stderr);
        Assert.False(Directory.Exists(Path.Combine(tiny.Root, "runs")) && Directory.EnumerateFileSystemEntries(Path.Combine(tiny.Root, "runs")).Any());
    }

    [Fact]
    public async Task A_diverging_run_stops_with_an_error_and_exit_code_1()
    {
        using var tiny = new MultiTaskRun();
        var spec = Path.Combine(tiny.Root, "tiny.json");
        File.WriteAllText(spec, tiny.SpecJson("\"max_consecutive_skips\": 2", added: "\"kind\": \"dept\", \"rank\": 2"));

        var (code, stdout, stderr) = await AcceptProcess.RunAsync(Timeout, "train", "--spec", spec, "--in-process", "--runs-dir", Path.Combine(tiny.Root, "runs"),
            "--learning-rate", "1e308", "--added-learning-rate", "1e308", "--steps", "30", "--grad-clip", "0");

        Assert.True(code == 1, $"exit {code}\n{stdout}\n{stderr}");
        AssertOneErrorLine(stderr);
        Assert.Contains("diverged", stderr);
        Assert.Contains("optimization.max_consecutive_skips", stderr);
    }

    [Fact]
    public async Task A_step_too_large_for_memory_is_refused_before_anything_allocates()
    {
        using var tiny = new MultiTaskRun();
        var spec = Path.Combine(tiny.Root, "tiny.json");
        File.WriteAllText(spec, tiny.SpecJson());

        var (code, _, stderr) = await AcceptProcess.RunAsync(new Dictionary<string, string> { ["ACCEPT_MEMORY_LIMIT_MB"] = "2048" }, Timeout,
            "train", "--spec", spec, "--in-process", "--runs-dir", Path.Combine(tiny.Root, "runs"), "--max-length", "100000");

        Assert.Equal(2, code);
        AssertOneErrorLine(stderr);
        Assert.Contains("a training step needs about", stderr);
        Assert.Contains("method.max_length (100000)", stderr);
    }

    [Fact]
    public async Task A_run_that_fails_to_start_leaves_no_stub_run_directory()
    {
        using var tiny = new MultiTaskRun();
        var spec = Path.Combine(tiny.Root, "tiny.json");
        File.WriteAllText(spec, tiny.SpecJson(extra: $"\"transfer\": {{ \"source\": {JsonSerializer.Serialize(Path.Combine(tiny.Root, "no-such-run"))} }}"));
        var runs = Path.Combine(tiny.Root, "runs");

        var (code, _, stderr) = await AcceptProcess.RunAsync(Timeout, "train", "--spec", spec, "--in-process", "--runs-dir", runs);

        Assert.Equal(2, code);
        AssertOneErrorLine(stderr);
        Assert.Contains("transfer.source", stderr);
        Assert.True(!Directory.Exists(runs) || !Directory.EnumerateFileSystemEntries(runs).Any(), string.Join(", ", Directory.EnumerateFileSystemEntries(runs)));
    }

    [Fact]
    public async Task Bad_paths_are_refused_before_the_backbone_loads()
    {
        using var tiny = new MultiTaskRun();
        var spec = Path.Combine(tiny.Root, "tiny.json");
        File.WriteAllText(spec, tiny.SpecJson());

        var (code, stdout, stderr) = await AcceptProcess.RunAsync(Timeout, "train", "--spec", spec, "--in-process", "--runs-dir", "/proc/accept-runs");
        Assert.Equal(2, code);
        AssertOneErrorLine(stderr);
        Assert.Contains("--runs-dir /proc/accept-runs", stderr);
        Assert.DoesNotContain("loading backbone", stdout);

        (code, stdout, stderr) = await AcceptProcess.RunAsync(Timeout, "train", "--spec", spec, "--in-process", "--cache-root", spec);
        Assert.Equal(2, code);
        Assert.Contains("--cache-root", stderr);
        Assert.Contains("is a file, expected a directory", stderr);

        (code, _, stderr) = await AcceptProcess.RunAsync(Timeout, "export", "--run", tiny.Root, "--out", "/proc/1/accept-export");
        Assert.Equal(2, code);
        Assert.Contains("--out", stderr);
    }

    [Fact]
    public async Task Numeric_flags_are_bounded_and_unknown_flags_exit_2()
    {
        var (code, _, stderr) = await AcceptProcess.RunAsync(Timeout, "status", "--gateway", "127.0.0.1:1", "--connect-timeout", "99999999999");
        Assert.Equal(2, code);
        AssertOneErrorLine(stderr);
        Assert.Contains("--connect-timeout: expected a number of seconds above 0 and at most 86,400", stderr);

        (code, _, stderr) = await AcceptProcess.RunAsync(Timeout, "generate", "--model", "/nonexistent", "--text", "hi", "--max-new-tokens", "2000000000");
        Assert.Equal(2, code);
        Assert.Contains("--max-new-tokens: expected an integer from 1 to 4,096", stderr);

        (code, _, stderr) = await AcceptProcess.RunAsync(Timeout, "train", "--no-such-flag");
        Assert.Equal(2, code);
        AssertOneErrorLine(stderr);
    }

    [Fact]
    public async Task An_argument_starting_with_at_is_text_not_a_response_file()
    {
        var model = Path.Combine(AppContext.BaseDirectory, "fixtures", "tokenizer");
        var (code, stdout, stderr) = await AcceptProcess.RunAsync(Timeout, "tokenize", "--model", model, "@/etc/passwd");

        Assert.True(code == 0, stderr);
        var expected = T5Tokenizer.Load(model).Encode("@/etc/passwd", addEos: false);
        Assert.Equal($"[{string.Join(',', expected)}]", stdout.Trim());
    }
}
