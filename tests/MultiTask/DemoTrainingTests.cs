using System.Text.Json;
using Accept.Training.Config;
using Accept.Training.Data.Demo;
using Accept.Training.MultiTask;
using Accept.Training.Runs;
using Accept.Training.T5;
using Accept.Training.Tokenization;
using static TorchSharp.torch;

namespace Accept.Tests.MultiTask;

/// <summary>The demo spec, scaled down, on the real npm data sets and the untrained demo backbone (both cached in the repository's .cache/).</summary>
[Trait("Category", "Fast")]
public class DemoTrainingTests
{
    private static string CacheRoot()
    {
        var npmMissing = DemoDatasets.FindOnPath("npm") is null;
        if (npmMissing && Environment.GetEnvironmentVariable("ACCEPT_REQUIRE_SERVICES") == "1")
            Assert.Fail("npm is not on PATH but ACCEPT_REQUIRE_SERVICES=1 requires the demo tests to run");
        Skip.If(npmMissing, "npm is not on PATH");
        return Path.Combine(ExampleSpecsTests.RepositoryRoot(), ".cache");
    }

    [SkippableFact]
    public void ScaledDownDemoLowersEveryTasksLossAndReportsTheMajorityBaseline()
    {
        var cacheRoot = CacheRoot();
        using var scope = NewDisposeScope();
        var spec = RunSpecReader.Read(Path.Combine(ExampleSpecsTests.RepositoryRoot(), "examples", "demo.json"));
        spec = spec with
        {
            Backbone = DemoBackbone.Ensure(cacheRoot),
            Method = spec.Method with { MaxLength = 64 },
            Optimization = spec.Optimization with { Steps = 100, EvalEvery = 100, EvalMaxExamples = 16, WarmupSteps = 10, BatchSize = 4 },
            CheckpointEvery = 0,
        };
        var root = Directory.CreateTempSubdirectory("accept-demo-").FullName;
        try
        {
            var ctx = RunContext.Load(spec, DemoBackbone.DatasetCache(cacheRoot));
            using var backbone = T5Model.Load(ctx.BackboneDirectory);
            using var run = RunDirectory.Create(root, "demo");
            using var trainer = MultiTaskTrainer.Start(ctx, backbone, run);
            var summary = trainer.Train();

            using var doc = JsonDocument.Parse(File.ReadAllText(run.SummaryPath));
            foreach (var task in new[] { "spam", "phonemes", "party" })
            {
                var t = summary.Tasks[task];
                Assert.True(t.FinalLoss < t.InitialLoss, $"{task}: loss {t.InitialLoss} → {t.FinalLoss}");
                var json = doc.RootElement.GetProperty("tasks").GetProperty(task);
                Assert.True(json.GetProperty("best_metric").ValueKind == JsonValueKind.Number, task);
                Assert.True(json.GetProperty("majority_baseline").ValueKind == JsonValueKind.Number, task);
            }
            // Spam and party are two-class tasks: their majority baselines are real fractions, not 0 or 1.
            Assert.InRange(summary.Tasks["spam"].MajorityBaseline!.Value, 0.5, 0.99);
            Assert.InRange(summary.Tasks["party"].MajorityBaseline!.Value, 0.3, 0.99);
            Assert.Equal(100, trainer.Groups["demo"].Version);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [SkippableFact]
    public void DemoBackboneIsAnHfDirectoryWithAMatchingTokenizer()
    {
        var directory = DemoBackbone.Ensure(CacheRoot());
        var tokenizer = T5Tokenizer.Load(directory);
        var config = T5Config.Load(Path.Combine(directory, "config.json"));
        Assert.Equal(tokenizer.VocabSize, config.VocabSize);
        Assert.Equal((0, 1, 2), (tokenizer.PadId, tokenizer.EosId, tokenizer.UnkId));
        Assert.Equal(128, config.DModel);
        var ids = tokenizer.Encode("spam");
        Assert.Equal(1, ids[^1]);
        Assert.DoesNotContain(2, ids);
        Assert.Equal(directory, DemoBackbone.Ensure(CacheRoot()));
    }
}
