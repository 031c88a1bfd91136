using Accept.Tests.Client;

namespace Accept.Tests.Evaluation;

/// <summary>eval and predict on a run the embedded cluster trained (task and codebook grains wrote its checkpoints).</summary>
[Trait("Category", "MultiProcess")]
public sealed class ClusterRunEvaluationTests
{
    [Fact]
    public async Task A_cluster_run_ends_with_test_metrics_that_eval_reproduces_and_predict_output_rescored_equals_eval()
    {
        using var run = new TinyRun(steps: 6, evalEvery: 3);
        var environment = new Dictionary<string, string> { ["ACCEPT_STATE_DIR"] = run.Root, ["ACCEPT_REDIS_CONNECTION_STRING"] = "" };
        var (code, stdout, stderr) = await AcceptProcess.RunAsync(environment, TimeSpan.FromMinutes(4), "train", "--spec", run.Spec, "--runs-dir", run.Runs);
        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        await RunEvaluationAssertions.AssertEvalAndPredictAgreeAsync(AcceptProcess.LastLine(stdout), run.Root, TinyRun.TaskNames, "parity", environment);
    }
}
