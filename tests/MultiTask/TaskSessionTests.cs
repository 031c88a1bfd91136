using Accept.Training.Checkpointing;
using Accept.Training.MultiTask;
using Accept.Training.T5;
using static TorchSharp.torch;

namespace Accept.Tests.MultiTask;

[Trait("Category", "Fast")]
public class TaskSessionTests
{
    [Fact]
    public void ContextResolvesTasksGroupsAndLayoutFromTheSpec()
    {
        using var run = new TinyRun();
        var ctx = run.Context();
        Assert.Equal(["mood", "copy"], ctx.TaskNames);
        Assert.Equal(64, ctx.Layout.DModel);
        Assert.Equal(["copy", "mood"], ctx.Groups["shared"]);
        Assert.Equal("shared", ctx.GroupOf("mood"));
        Assert.Equal(84 * 8 / 10, ctx.Data["mood"].Train.Count);
        Assert.Contains("not in the run spec", Assert.Throws<ArgumentException>(() => TaskSession.Create(ctx, "nope")).Message);
    }

    [Fact]
    public void MissingTokenizerIsAnErrorNamingTheFile()
    {
        using var run = new TinyRun();
        File.Delete(Path.Combine(run.Backbone, "spiece.model"));
        var e = Assert.ThrowsAny<Exception>(() => run.Context());
        Assert.Contains("spiece.model", e.Message);
    }

    [Fact]
    public void CheckpointBytesRestoreASessionThatContinuesIdentically()
    {
        using var scope = NewDisposeScope();
        using var run = new TinyRun();
        var ctx = run.Context();
        using var backbone = T5Model.Load(ctx.BackboneDirectory);
        using var group = CodebookGroups.Create(ctx, "shared");
        using var a = TaskSession.Create(ctx, "mood");
        for (int i = 0; i < 3; i++) a.Step(backbone, group.Codebooks).Dispose();
        var eval = a.Evaluate(backbone, group.Codebooks);
        Assert.True(eval.IsBest);
        Assert.Equal(3, eval.Step);

        byte[] bytes;
        using (var checkpoint = a.Capture()) bytes = checkpoint.ToBytes();
        using var restoredCheckpoint = TaskCheckpoint.FromBytes(bytes);
        Assert.Equal(3, restoredCheckpoint.State.Step);
        using var b = TaskSession.Create(ctx, "mood");
        b.Restore(restoredCheckpoint);
        Assert.Equal(3, b.StepCount);
        Assert.Equal(a.BestMetric, b.BestMetric);
        Assert.Equal(a.BestStep, b.BestStep);
        Assert.False(b.EvaluationDue);

        // Same next batch, same update: the cursor, step (schedule) and AdamW moments all came back.
        for (int i = 0; i < 3; i++)
        {
            using var oa = a.Step(backbone, group.Codebooks);
            using var ob = b.Step(backbone, group.Codebooks);
            Assert.Equal(oa.Loss, ob.Loss);
            foreach (var key in oa.CodebookGradients.Keys)
                Assert.True(oa.CodebookGradients[key].equal(ob.CodebookGradients[key]).all().item<bool>(), key);
        }
        foreach (var key in a.Adapter.Weights.Keys)
            Assert.True(a.Adapter.Weights[key].equal(b.Adapter.Weights[key]).all().item<bool>(), key);
        Assert.True(a.Finished);
        Assert.Throws<InvalidOperationException>(() => a.Step(backbone, group.Codebooks));
    }

    [Fact]
    public void RestoringAnotherTasksCheckpointIsRefused()
    {
        using var run = new TinyRun();
        var ctx = run.Context();
        using var mood = TaskSession.Create(ctx, "mood");
        using var copy = TaskSession.Create(ctx, "copy");
        using var checkpoint = mood.Capture();
        Assert.Contains("'mood'", Assert.Throws<ArgumentException>(() => copy.Restore(checkpoint)).Message);
    }

    [Fact]
    public void CodebookCheckpointRoundTripsThroughBytes()
    {
        using var run = new TinyRun();
        var ctx = run.Context();
        using var backbone = T5Model.Load(ctx.BackboneDirectory);
        using var group = CodebookGroups.Create(ctx, "shared");
        using var session = TaskSession.Create(ctx, "copy");
        using (var outcome = session.Step(backbone, group.Codebooks))
        using (var round = new SyncRound(group, ["copy"]))
        {
            round.Submit("copy", outcome.CodebookGradients);
            round.Close();
        }
        using var checkpoint = CodebookCheckpoint.Capture(group);
        using var back = CodebookCheckpoint.FromBytes(checkpoint.ToBytes());
        Assert.Equal("shared", back.GroupName);
        Assert.Equal(1, back.Version);
        using var fresh = CodebookGroups.Create(ctx, "shared");
        Assert.False(fresh.Codebooks.Keys.All(k => fresh.Codebooks[k].equal(group.Codebooks[k]).all().item<bool>()));
        back.Restore(fresh);
        Assert.Equal(1, fresh.Version);
        Assert.Equal(1, fresh.Rounds);
        foreach (var k in group.Codebooks.Keys) Assert.True(fresh.Codebooks[k].equal(group.Codebooks[k]).all().item<bool>(), k);
        Assert.Throws<InvalidDataException>(() => TaskCheckpoint.FromBytes(checkpoint.ToBytes()));
    }

    [Fact]
    public void GroupsAndSessionsAreDeterministicFromTheSeed()
    {
        using var run = new TinyRun();
        var ctx = run.Context();
        using var g1 = CodebookGroups.Create(ctx, "shared");
        using var g2 = CodebookGroups.Create(ctx, "shared");
        using var s1 = TaskSession.Create(ctx, "mood");
        using var s2 = TaskSession.Create(ctx, "mood");
        foreach (var k in g1.Codebooks.Keys) Assert.True(g1.Codebooks[k].equal(g2.Codebooks[k]).all().item<bool>(), k);
        foreach (var k in s1.Adapter.Weights.Keys) Assert.True(s1.Adapter.Weights[k].equal(s2.Adapter.Weights[k]).all().item<bool>(), k);
        var other = run.Context(optimization: "\"seed\": 8");
        using var g3 = CodebookGroups.Create(other, "shared");
        Assert.False(g1.Codebooks.Keys.All(k => g1.Codebooks[k].equal(g3.Codebooks[k]).all().item<bool>()));
    }
}
