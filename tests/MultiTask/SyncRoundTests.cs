using Accept.Training.MultiTask;
using Accept.Training.Optim;
using Accept.Training.Prompts;
using static TorchSharp.torch;

namespace Accept.Tests.MultiTask;

[Trait("Category", "Fast")]
public class SyncRoundTests
{
    private static readonly PromptLayout Layout = new PromptLayout { DModel = 16, PromptLength = 3, MaxLength = 6, ScppSubDim = 4, ScppCodebookSize = 3, Added = AddedKind.Scap, AddedSubDim = 8, AddedCodebookSize = 2, AddedRank = 2, AddedAlpha = 8 }.Validated();

    private static CodebookGroup Group(int seed = 1) =>
        new("g", Layout, new CodebookGroupOptions(new LinearSchedule(0.3, 0, 100), new LinearSchedule(0.01, 0, 100)), seed);

    private static Dictionary<string, Tensor> Gradient(CodebookGroup group, int seed)
    {
        using var g = new Generator((ulong)seed);
        return group.Codebooks.ToDictionary(c => c.Key, c => randn(c.Value.shape, generator: g));
    }

    [Fact]
    public void ClosingAppliesTheMeanInOrdinalTaskOrderWhateverTheArrivalOrder()
    {
        using var a = Group();
        using var b = Group();
        var names = new[] { "zeta", "Alpha", "beta" };
        var grads = names.ToDictionary(n => n, n => Gradient(a, n.Length * 7 + n[0]));

        using (var round = new SyncRound(a, names))
        {
            foreach (var n in names) round.Submit(n, grads[n]);
            var result = round.Close();
            Assert.True(result.Applied);
            Assert.Equal(["Alpha", "beta", "zeta"], result.Contributors);
            Assert.Equal(0, result.BaseVersion);
            Assert.Equal(1, result.Version);
        }
        using (var round = new SyncRound(b, names))
        {
            foreach (var n in names.Reverse()) round.Submit(n, grads[n]);
            round.Close();
        }
        // The same sum order gives bit-identical codebooks, and they equal a direct Apply of the ordinal mean.
        using var c = Group();
        var mean = CodebookGroup.Mean(names.Order(StringComparer.Ordinal).Select(n => (IReadOnlyDictionary<string, Tensor>)grads[n]).ToList());
        c.Apply(mean);
        foreach (var key in a.Codebooks.Keys)
        {
            Assert.True(a.Codebooks[key].equal(b.Codebooks[key]).all().item<bool>(), key);
            Assert.True(a.Codebooks[key].equal(c.Codebooks[key]).all().item<bool>(), key);
        }
    }

    [Fact]
    public void SkippedTasksAreLeftOutOfTheMean()
    {
        using var a = Group();
        using var b = Group();
        var g1 = Gradient(a, 11);
        using (var round = new SyncRound(a, ["t1", "t2"]))
        {
            round.SubmitSkipped("t2");
            Assert.False(round.IsComplete);
            round.Submit("t1", g1);
            var result = round.Close();
            Assert.Equal(["t1"], result.Contributors);
            Assert.Equal(["t2"], result.Skipped);
        }
        b.Apply(g1);
        foreach (var key in a.Codebooks.Keys) Assert.True(a.Codebooks[key].equal(b.Codebooks[key]).all().item<bool>(), key);
    }

    [Fact]
    public void EveryTaskSkippedClosesWithoutAStepAndKeepsTheVersion()
    {
        using var group = Group();
        var before = group.Snapshot();
        using var round = new SyncRound(group, ["t1", "t2"]);
        round.SubmitSkipped("t1");
        round.SubmitSkipped("t2");
        var result = round.Close();
        Assert.False(result.Applied);
        Assert.Equal(0, result.Version);
        Assert.Equal(0, group.Version);
        Assert.Equal(0, group.Rounds);
        foreach (var key in before.Keys) Assert.True(group.Codebooks[key].equal(before[key]).all().item<bool>(), key);
        Assert.Throws<InvalidOperationException>(() => round.Close());
    }

    [Fact]
    public void SubmissionsFromOutsideTheRoundAreRejectedWithAReasonAndChangeNothing()
    {
        using var group = Group();
        using var round = new SyncRound(group, ["t1", "t2"]);
        var good = Gradient(group, 3);
        Assert.Contains("not a member", round.Check("stranger", good));
        Assert.Throws<ArgumentException>(() => round.Submit("stranger", good));
        round.Submit("t1", good);
        Assert.Contains("already reported", round.Check("t1", good));
        Assert.Equal(["t2"], round.Pending);
        Assert.Throws<InvalidOperationException>(() => round.Close());
        round.Leave("t2");
        Assert.True(round.Close().Applied);
    }

    [Fact]
    public void SubmittedGradientsAreCopiedSoTheCallerMayReuseThem()
    {
        using var a = Group();
        var g = Gradient(a, 5);
        var original = g.ToDictionary(x => x.Key, x => x.Value.clone());
        using (var round = new SyncRound(a, ["t"]))
        {
            round.Submit("t", g);
            foreach (var t in g.Values) t.fill_(double.NaN);
            Assert.True(round.Close().Applied);
        }
        using var reference = Group();
        reference.Apply(original);
        foreach (var key in a.Codebooks.Keys) Assert.True(a.Codebooks[key].equal(reference.Codebooks[key]).all().item<bool>(), key);
    }
}
