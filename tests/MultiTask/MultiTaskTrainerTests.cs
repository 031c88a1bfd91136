using System.Text.Json;
using Accept.Training.Checkpointing;
using Accept.Training.MultiTask;
using Accept.Training.Runs;
using Accept.Training.T5;
using TorchSharp;
using static TorchSharp.torch;

namespace Accept.Tests.MultiTask;

[Trait("Category", "Fast")]
public class MultiTaskTrainerTests
{
    private static void AssertSameState(MultiTaskTrainer a, MultiTaskTrainer b)
    {
        foreach (var (name, session) in a.Sessions)
        {
            var left = session.Adapter.StateDict();
            var right = b.Sessions[name].Adapter.StateDict();
            Assert.Equal(left.Keys.Order(), right.Keys.Order());
            foreach (var key in left.Keys)
                Assert.True(left[key].equal(right[key]).all().item<bool>(), $"task {name}: {key} differs");
        }
        foreach (var (name, group) in a.Groups)
        {
            var left = group.StateDict();
            var right = b.Groups[name].StateDict();
            foreach (var key in left.Keys)
                Assert.True(left[key].equal(right[key]).all().item<bool>(), $"group {name}: {key} differs");
        }
    }

    private static List<MetricRecord> Losses(RunDirectory run) =>
        RunDirectory.ReadMetrics(run.MetricsPath).Where(r => r.Loss is not null).ToList();

    [Fact]
    public void SameSeedGivesIdenticalRuns()
    {
        using var scope = NewDisposeScope();
        using var tiny = new TinyRun();
        var ctx = tiny.Context();
        using var backbone = T5Model.Load(ctx.BackboneDirectory);
        using var runA = RunDirectory.Create(Path.Combine(tiny.Root, "runs"), "a");
        using var runB = RunDirectory.Create(Path.Combine(tiny.Root, "runs"), "b");
        using var a = MultiTaskTrainer.Start(ctx, backbone, runA);
        using var b = MultiTaskTrainer.Start(tiny.Context(), backbone, runB);
        var sa = a.Train();
        var sb = b.Train();
        AssertSameState(a, b);
        Assert.Equal(Losses(runA).Select(r => (r.Step, r.Task, r.Loss)), Losses(runB).Select(r => (r.Step, r.Task, r.Loss)));
        Assert.Equal(sa.Tasks["mood"].BestMetric, sb.Tasks["mood"].BestMetric);
        Assert.Equal(6, a.Groups["shared"].Version);

        using var c = MultiTaskTrainer.Start(tiny.Context(optimization: "\"seed\": 99"), backbone,
            RunDirectory.Create(Path.Combine(tiny.Root, "runs"), "c"));
        c.Train(stopAfterStep: 1);
        Assert.False(a.Groups["shared"].Codebooks.All(kv => kv.Value.equal(c.Groups["shared"].Codebooks[kv.Key]).all().item<bool>()));
        c.Run.Dispose();
    }

    [Fact]
    public void StoppingAndResumingGivesTheSameResultAsAnUninterruptedRun()
    {
        using var scope = NewDisposeScope();
        using var tiny = new TinyRun();
        const string steps = "\"steps\": 8";
        using var backbone = T5Model.Load(tiny.Backbone);
        var runs = Path.Combine(tiny.Root, "runs");

        using var whole = RunDirectory.Create(runs, "whole");
        using var uninterrupted = MultiTaskTrainer.Start(tiny.Context(steps), backbone, whole);
        var expected = uninterrupted.Train();

        string path;
        using (var first = RunDirectory.Create(runs, "halves"))
        {
            path = first.Path;
            using var trainer = MultiTaskTrainer.Start(tiny.Context(steps), backbone, first);
            trainer.Train(stopAfterStep: 4);
            // A step beyond the checkpoint, as a crash would leave it: its records must not survive the resume.
            first.Append(new MetricRecord(5, "mood", Loss: 123));
        }
        Assert.Equal(4, MultiTaskTrainer.LatestCheckpointStep(path));

        var spec = Accept.Training.Config.RunSpecReader.Read(Path.Combine(path, "spec.json"));
        using var second = RunDirectory.Open(path, keepMetricsThroughStep: 4);
        using var resumed = MultiTaskTrainer.Resume(Accept.Training.MultiTask.RunContext.Load(spec, Path.Combine(tiny.Root, "npm")), backbone, second);
        Assert.Equal(4, resumed.Step);
        var actual = resumed.Train();

        AssertSameState(uninterrupted, resumed);
        Assert.Equal(8, resumed.Groups["shared"].Version);
        Assert.Equal(Losses(whole).Select(r => (r.Step, r.Task, r.Loss, r.LearningRate)), Losses(second).Select(r => (r.Step, r.Task, r.Loss, r.LearningRate)));
        var evalsWhole = RunDirectory.ReadMetrics(whole.MetricsPath).Where(r => r.Metric is not null).Select(r => (r.Step, r.Task, r.Metric));
        var evalsResumed = RunDirectory.ReadMetrics(second.MetricsPath).Where(r => r.Metric is not null).Select(r => (r.Step, r.Task, r.Metric));
        Assert.Equal(evalsWhole, evalsResumed);
        foreach (var task in expected.Tasks.Keys)
        {
            Assert.Equal(expected.Tasks[task].FinalLoss, actual.Tasks[task].FinalLoss);
            Assert.Equal(expected.Tasks[task].BestMetric, actual.Tasks[task].BestMetric);
            Assert.Equal(8, actual.Tasks[task].Steps);
        }
    }

    [Fact]
    public void TrainingLowersEveryTasksLossAndWritesTheRunDirectory()
    {
        using var scope = NewDisposeScope();
        using var tiny = new TinyRun();
        var ctx = tiny.Context("\"steps\": 120, \"eval_every\": 60, \"batch_size\": 8", extra: "\"checkpoint_every\": 50");
        using var backbone = T5Model.Load(ctx.BackboneDirectory);
        using var run = RunDirectory.Create(Path.Combine(tiny.Root, "runs"), "learn");
        var progress = new RecordingProgress();
        using var trainer = MultiTaskTrainer.Start(ctx, backbone, run, progress);
        var summary = trainer.Train();

        foreach (var task in new[] { "mood", "copy" })
        {
            var s = summary.Tasks[task];
            Assert.True(s.FinalLoss < s.InitialLoss!.Value * 0.9, $"{task}: loss {s.InitialLoss} → {s.FinalLoss}");
            Assert.Equal(120, s.Steps);
            Assert.NotNull(s.BestMetric);
            Assert.NotNull(s.MajorityBaseline);
        }
        Assert.Equal("accuracy", summary.Tasks["mood"].MetricName);
        Assert.Equal("exact_match", summary.Tasks["copy"].MetricName);
        Assert.True(summary.TokensPerSecond > 0);

        using var doc = JsonDocument.Parse(File.ReadAllText(run.SummaryPath));
        var mood = doc.RootElement.GetProperty("tasks").GetProperty("mood");
        foreach (var key in new[] { "final_loss", "best_metric", "majority_baseline", "steps" }) Assert.True(mood.TryGetProperty(key, out _), key);
        Assert.True(doc.RootElement.GetProperty("wall_time_s").GetDouble() > 0);
        Assert.True(new FileInfo(run.PlotPath).Length > 1000);
        Assert.True(File.Exists(run.SpecPath));

        var records = RunDirectory.ReadMetrics(run.MetricsPath);
        Assert.Equal(240, records.Count(r => r.Loss is not null));
        Assert.Equal(new long[] { 60, 120 }, records.Where(r => r.Task == "mood" && r.Metric is not null).Select(r => r.Step));
        Assert.Equal(240, progress.Steps);
        Assert.Equal(4, progress.Evaluations);
        Assert.Equal(new long[] { 50, 100, 120 }, progress.Checkpoints);

        var reader = RunCheckpointReader.Open(run.Path);
        using (var last = reader.LoadTask("mood", CheckpointChoice.Last)) Assert.Equal(120, last.Step);
        // The grains' layout: checkpoints/JOB/OWNER/pointer.json + objects/, three kept per scope.
        var job = Path.Combine(run.CheckpointsPath, reader.Location.Job);
        Assert.Equal(3, Directory.GetFiles(Path.Combine(job, "task-mood", "objects"), "*.ckpt").Length);
        Assert.True(File.Exists(Path.Combine(job, "codebook-shared", "pointer.json")));
        using var best = reader.LoadTask("mood", CheckpointChoice.Best);
        Assert.Equal(summary.Tasks["mood"].BestStep, best.Step);
        Assert.Equal(summary.Tasks["mood"].BestMetric, best.State.State.BestMetric);
    }

    [Fact]
    public void ACorruptCheckpointIsNeverLoaded()
    {
        using var scope = NewDisposeScope();
        using var tiny = new TinyRun();
        var ctx = tiny.Context();
        using var backbone = T5Model.Load(ctx.BackboneDirectory);
        string path;
        using (var run = RunDirectory.Create(Path.Combine(tiny.Root, "runs"), "x"))
        {
            path = run.Path;
            using var trainer = MultiTaskTrainer.Start(ctx, backbone, run);
            trainer.Train(stopAfterStep: 2);
        }
        var objects = Directory.GetFiles(Path.Combine(path, "checkpoints", RunCheckpointReader.Open(path).Location.Job, "task-mood", "objects"), "*.ckpt");
        var file = Assert.Single(objects);
        var bytes = File.ReadAllBytes(file);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(file, bytes);
        using var reopened = RunDirectory.Open(path, 2);
        var e = Assert.Throws<InvalidDataException>(() => MultiTaskTrainer.Resume(ctx, backbone, reopened));
        Assert.Contains("SHA-256", e.Message);
        Assert.Contains(Path.GetFileName(file), e.Message);
    }

    [Fact]
    public void TransferFromARunWithFrozenCodebooksTrainsOnlyTheWeights()
    {
        using var scope = NewDisposeScope();
        using var tiny = new TinyRun();
        using var backbone = T5Model.Load(tiny.Backbone);
        string source;
        using (var run = RunDirectory.Create(Path.Combine(tiny.Root, "runs"), "source"))
        {
            source = run.Path;
            using var trainer = MultiTaskTrainer.Start(tiny.Context(), backbone, run);
            trainer.Train();
        }
        using var sourceCodebooks = RunCheckpointReader.Open(source).LoadGroup("shared");
        var transfer = $"\"transfer\": {{ \"source\": {JsonSerializer.Serialize(source)}, \"weights_from_task\": \"mood\", \"freeze_codebooks\": true }}";
        using var target = RunDirectory.Create(Path.Combine(tiny.Root, "runs"), "target");
        using var next = MultiTaskTrainer.Start(tiny.Context(extra: transfer), backbone, target);
        using var sourceMood = TransferSource.TaskWeights(source, "mood");
        foreach (var (name, w) in next.Sessions["copy"].Adapter.Weights)
            Assert.True(w.equal(sourceMood.Tensors[name]).all().item<bool>(), name);
        next.Train();
        Assert.Equal(0, next.Groups["shared"].Version);
        foreach (var (name, c) in next.Groups["shared"].Codebooks)
            Assert.True(c.equal(sourceCodebooks.Tensors[name]).all().item<bool>(), name);
        Assert.False(next.Sessions["copy"].Adapter.Weights.All(w => w.Value.equal(sourceMood.Tensors[w.Key]).all().item<bool>()));
    }

    [Fact]
    public void TrainingStepsEvaluationsAndCheckpointsLeaveNoLiveTensorsBehind()
    {
        using var tiny = new TinyRun();
        var ctx = tiny.Context("\"steps\": 12", extra: "\"checkpoint_every\": 2");
        using var backbone = T5Model.Load(ctx.BackboneDirectory);
        using var run = RunDirectory.Create(Path.Combine(tiny.Root, "runs"), "memory");
        using var trainer = MultiTaskTrainer.Start(ctx, backbone, run);
        trainer.Train(stopAfterStep: 3);
        var stats = DisposeScopeManager.Statistics;
        long before = stats.ThreadTotalLiveCount;
        trainer.Train(stopAfterStep: 9);
        Assert.Equal(before, stats.ThreadTotalLiveCount);
    }

    [Fact]
    public void NonFiniteStepsAreSkippedCountedAndLeftOutOfTheRound()
    {
        using var scope = NewDisposeScope();
        using var tiny = new TinyRun();
        var ctx = tiny.Context("\"steps\": 4, \"eval_every\": 4");
        using var backbone = T5Model.Load(ctx.BackboneDirectory);
        using var run = RunDirectory.Create(Path.Combine(tiny.Root, "runs"), "nan");
        using var trainer = MultiTaskTrainer.Start(ctx, backbone, run);
        using (no_grad()) trainer.Sessions["copy"].Adapter.Weights[Accept.Training.Prompts.PromptTensorNames.ScppWeights].fill_(double.NaN);
        var summary = trainer.Train();
        Assert.Equal(4, summary.Tasks["copy"].SkippedSteps);
        Assert.Null(summary.Tasks["copy"].FinalLoss);
        Assert.Equal(0, summary.Tasks["mood"].SkippedSteps);
        Assert.NotNull(summary.Tasks["mood"].FinalLoss);
        // mood alone moved the shared codebooks, which stayed finite.
        Assert.Equal(4, trainer.Groups["shared"].Version);
        foreach (var c in trainer.Groups["shared"].Codebooks.Values) Assert.True(isfinite(c).all().item<bool>());
        using var doc = JsonDocument.Parse(File.ReadAllText(run.SummaryPath));
        Assert.Equal(4, doc.RootElement.GetProperty("tasks").GetProperty("copy").GetProperty("skipped_steps").GetInt32());
        Assert.Equal(4, RunDirectory.ReadMetrics(run.MetricsPath).Count(r => r.Task == "copy" && r.Loss is null && r.Metric is null));
    }

    private sealed class RecordingProgress : ITrainingProgress
    {
        public int Steps;
        public int Evaluations;
        public List<long> Checkpoints = [];
        public void TaskStepped(TaskProgress progress) => Steps++;
        public void Evaluated(EvalResult result) => Evaluations++;
        public void Checkpointed(long step, string folder) => Checkpoints.Add(step);
    }
}
