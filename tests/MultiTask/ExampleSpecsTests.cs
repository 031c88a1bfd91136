using Accept.Training.Config;
using Accept.Training.MultiTask;

namespace Accept.Tests.MultiTask;

[Trait("Category", "Fast")]
public class ExampleSpecsTests
{
    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Accept.Distributed.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new DirectoryNotFoundException("repository root (Accept.Distributed.sln) not found above the test binaries");
    }

    /// <summary>Run specs: every example except the sweep specs (sweep-*.json), which have their own reader.</summary>
    public static TheoryData<string> Specs() => new(Examples().Where(f => !f.StartsWith("sweep-", StringComparison.Ordinal)));

    public static TheoryData<string> SweepSpecs() => new(Examples().Where(f => f.StartsWith("sweep-", StringComparison.Ordinal)));

    private static IEnumerable<string> Examples() =>
        Directory.GetFiles(Path.Combine(RepositoryRoot(), "examples"), "*.json").Select(Path.GetFileName).OfType<string>();

    [Theory]
    [MemberData(nameof(SweepSpecs))]
    public void EveryExampleSweepSpecParsesWithItsBaseRunSpec(string file)
    {
        var sweep = Accept.Training.Sweeps.SweepSpecReader.Read(Path.Combine(RepositoryRoot(), "examples", file));
        // The base run spec parses as a run spec, and every varied key is one of its paths.
        var baseSpec = RunSpecReader.Parse(sweep.BaseRunSpecJson, file);
        Assert.NotEmpty(baseSpec.Tasks);
        Assert.NotEmpty(sweep.Parameters);
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void EveryExampleSpecParsesAndFitsItsBackbone(string file)
    {
        var spec = RunSpecReader.Read(Path.Combine(RepositoryRoot(), "examples", file));
        Assert.NotEmpty(spec.Tasks);
        Assert.All(spec.Tasks, t => Assert.Contains(t.Name, spec.CodebookGroups[t.CodebookGroup]));
        // The demo runs on the untrained tiny backbone; the paper specs on T5-base (d 768).
        int d = spec.Backbone is null ? DemoBackbone.Config(BackboneSize.Tiny, 100).DModel : 768;
        var budget = spec.Method.ToLayout(d).Budget();
        if (file == "glue.json" || file == "superglue.json") Assert.Equal(74_880, budget.Total);
    }

    [Fact]
    public void TheExamplesCoverTheDemoAndEachPaperTaskGroup()
    {
        var files = Directory.GetFiles(Path.Combine(RepositoryRoot(), "examples"), "*.json").Select(Path.GetFileName).ToList();
        foreach (var expected in new[] { "demo.json", "glue.json", "superglue.json", "mrqa.json" }) Assert.Contains(expected, files);
        var demo = RunSpecReader.Read(Path.Combine(RepositoryRoot(), "examples", "demo.json"));
        Assert.Equal(["spam", "phonemes", "party"], demo.Tasks.Select(t => t.Dataset));
        Assert.Single(demo.CodebookGroups);
    }
}
