using Accept.Tests.Client;
using TinyRun = Accept.Tests.MultiTask.TinyRun;
using Accept.Tests.MultiTask;
using Accept.Training.Checkpointing;
using Accept.Training.MultiTask;
using Accept.Training.Runs;
using Accept.Training.T5;
using static TorchSharp.torch;

namespace Accept.Tests.Checkpointing;

/// <summary>
/// One layout for every mode: a run written by the embedded cluster resumes in-process, a run written
/// in-process resumes on the embedded cluster, and (sync mode) both end equal to an uninterrupted run.
/// </summary>
[Trait("Category", "Cluster")]
public class CrossModeResumeTests
{
    private const string Extra = ResumeEquality.Extra;

    private static string Uninterrupted(TinyRun tiny) => ResumeEquality.Uninterrupted(tiny);

    private static void AssertSameFinalState(string expectedRun, string actualRun) => ResumeEquality.AssertSameFinalState(expectedRun, actualRun);

    [Fact]
    public void An_embedded_cluster_run_exports_and_resumes_in_process_to_the_uninterrupted_result()
    {
        using var tiny = new TinyRun();
        var spec = Path.Combine(tiny.Root, "tiny.json");
        File.WriteAllText(spec, tiny.SpecJson(extra: Extra));
        var (code, stdout, stderr) = AcceptProcess.Run(tiny.Root, "train", "--spec", spec, "--runs-dir", Path.Combine(tiny.Root, "runs"));
        Assert.True(code == 0, stderr + stdout);
        var run = AcceptProcess.LastLine(stdout);
        Assert.True(File.Exists(Path.Combine(run, RunCheckpointLocation.FileName)));

        (code, stdout, stderr) = AcceptProcess.Run(tiny.Root, "export", "--run", run, "--out", Path.Combine(tiny.Root, "export"));
        Assert.True(code == 0, stderr + stdout);
        Assert.True(File.Exists(Path.Combine(tiny.Root, "export", "copy", "prompts.safetensors")));
        using (var best = RunCheckpointReader.Open(run).LoadTask("mood", CheckpointChoice.Best))
            Assert.Equal(CheckpointChoice.Best, best.Which);

        // As if the cluster run had died after its step-4 checkpoints: the newest task checkpoints are unusable.
        var job = Path.Combine(run, "checkpoints", RunCheckpointReader.Open(run).Location.Job);
        foreach (var task in new[] { "task-mood", "task-copy" })
        {
            var newest = Directory.GetFiles(Path.Combine(job, task, "objects"), "*.ckpt").Order(StringComparer.Ordinal).Last();
            File.WriteAllBytes(newest, [1, 2, 3]);
        }
        (code, stdout, stderr) = AcceptProcess.Run(tiny.Root, "train", "--resume", run, "--in-process");
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("skipped corrupt checkpoint", stderr);
        AssertSameFinalState(Uninterrupted(tiny), run);
    }

    [Fact]
    public void An_in_process_run_stopped_at_step_3_resumes_on_the_embedded_cluster_to_the_uninterrupted_result()
    {
        using var tiny = new TinyRun();
        string run;
        using (var backbone = T5Model.Load(tiny.Backbone))
        using (var directory = RunDirectory.Create(Path.Combine(tiny.Root, "runs"), "halves"))
        {
            run = directory.Path;
            using var trainer = MultiTaskTrainer.Start(tiny.Context(extra: Extra), backbone, directory);
            trainer.Train(stopAfterStep: 3);
        }
        var (code, stdout, stderr) = AcceptProcess.Run(tiny.Root, "train", "--resume", run);
        Assert.True(code == 0, stderr + stdout);
        Assert.Equal(run, AcceptProcess.LastLine(stdout));
        Assert.Contains("resuming from step 3", stdout);
        AssertSameFinalState(Uninterrupted(tiny), run);
    }
}
